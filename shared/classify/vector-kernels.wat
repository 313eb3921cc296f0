;; The hot loops of vectors.ts (rowsVector, dots, cosineBackground) in WebAssembly, for vector-kernels.ts.
;; `npm run build:wasm` turns this file into vector-kernels.generated.ts.
;;
;; Every value is computed with the same IEEE operations, in the same order, as the JavaScript in
;; vectors.ts: float32 values widened to float64, products and sums in float64, rounded to float32 where
;; the JavaScript stores into a Float32Array. SIMD lanes are separate components (or separate vectors),
;; never parts of one sum, so the results are the same bit for bit (test/unit/vector-kernels.test.ts).
;; The point is a cold start: this code is compiled when the module is made, where the same loops in
;; JavaScript run unoptimized for their first few hundred papers.
;;
;; Addresses are byte offsets into the one memory, laid out by vector-kernels.ts.
(module
  (memory (export "memory") 1)

  ;; out[0 .. dim) (f32) = the SIF vector of the words at rows[0 .. count) (i32 row numbers):
  ;; per word in order, per component, out[j] = f32(out[j] + (weight[row] * scale[row]) * data[row * dim + j]);
  ;; then, when pc >= 0, out[j] = f32(out[j] - (out . pc) * pc[j]); then scaled to unit length.
  (func (export "rowsVector")
    (param $data i32) (param $weight i32) (param $scale i32) (param $dim i32)
    (param $rows i32) (param $count i32) (param $pc i32) (param $out i32)
    (local $r i32) (local $row i32) (local $j i32) (local $base i32) (local $o i32)
    (local $f f64) (local $dot f64) (local $sum f64) (local $x f64)
    (local $fv v128) (local $d4 v128) (local $o4 v128) (local $lo v128) (local $hi v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $dim) (i32.const 2)))
    (block $words_done
      (loop $words
        (br_if $words_done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $f
          (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $weight) (i32.shl (local.get $row) (i32.const 2)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $scale) (i32.shl (local.get $row) (i32.const 2)))))))
        (local.set $fv (f64x2.splat (local.get $f)))
        (local.set $base (i32.add (local.get $data) (i32.mul (local.get $row) (local.get $dim))))
        (local.set $j (i32.const 0))
        ;; Four components a pass: components 0-1 and 2-3 as two f64x2, rounded to f32 lane by lane.
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $o (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $d4
              (i32x4.extend_low_i16x8_s
                (i16x8.extend_low_i8x16_s (v128.load32_zero (i32.add (local.get $base) (local.get $j))))))
            (local.set $o4 (v128.load (local.get $o)))
            (local.set $lo
              (f64x2.add
                (f64x2.promote_low_f32x4 (local.get $o4))
                (f64x2.mul (local.get $fv) (f64x2.convert_low_i32x4_s (local.get $d4)))))
            (local.set $hi
              (f64x2.add
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o4) (local.get $o4)))
                (f64x2.mul
                  (local.get $fv)
                  (f64x2.convert_low_i32x4_s
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d4) (local.get $d4))))))
            (v128.store
              (local.get $o)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $lo))
                (f32x4.demote_f64x2_zero (local.get $hi))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quads)))
        ;; The last dim % 4 components one at a time.
        (block $rest_done
          (loop $rest
            (br_if $rest_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $o (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store
              (local.get $o)
              (f32.demote_f64
                (f64.add
                  (f64.promote_f32 (f32.load (local.get $o)))
                  (f64.mul
                    (local.get $f)
                    (f64.convert_i32_s (i32.load8_s (i32.add (local.get $base) (local.get $j))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $rest)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $words)))
    ;; Minus the principal component: its dot product in order, then each component.
    (if (i32.ge_s (local.get $pc) (i32.const 0))
      (then
        (local.set $dot
          (call $dotF32 (local.get $out) (local.get $pc) (local.get $dim)))
        (local.set $j (i32.const 0))
        (block $pc_done
          (loop $pc_loop
            (br_if $pc_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $o (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store
              (local.get $o)
              (f32.demote_f64
                (f64.sub
                  (f64.promote_f32 (f32.load (local.get $o)))
                  (f64.mul
                    (local.get $dot)
                    (f64.promote_f32
                      (f32.load (i32.add (local.get $pc) (i32.shl (local.get $j) (i32.const 2)))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pc_loop)))))
    ;; Unit length: the sum of squares in order; a zero vector stays zero.
    (local.set $sum (call $dotF32 (local.get $out) (local.get $out) (local.get $dim)))
    (if (f64.gt (local.get $sum) (f64.const 0))
      (then
        (local.set $x (f64.div (f64.const 1) (f64.sqrt (local.get $sum))))
        (local.set $j (i32.const 0))
        (block $scale_done
          (loop $scale_loop
            (br_if $scale_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $o (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store
              (local.get $o)
              (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load (local.get $o))) (local.get $x))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $scale_loop))))))

  ;; The float64 sum of a[j] * b[j] over j = 0 .. n, in order (a and b: f32[n]).
  (func $dotF32 (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $j i32) (local $sum f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $sum
          (f64.add
            (local.get $sum)
            (f64.mul
              (f64.promote_f32 (f32.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2)))))
              (f64.promote_f32 (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; out[i] (f64) = dotF32(table + i * dim * 4, x, dim) for i = 0 .. count: two vectors a pass, one per lane.
  (func (export "dots") (param $table i32) (param $count i32) (param $dim i32) (param $x i32) (param $out i32)
    (local $i i32) (local $j i32) (local $a i32) (local $b i32) (local $sums v128) (local $xj v128)
    (local $stride i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $count)))
        (local.set $a (i32.add (local.get $table) (i32.mul (local.get $i) (local.get $stride))))
        (local.set $b (i32.add (local.get $a) (local.get $stride)))
        (local.set $sums (f64x2.splat (f64.const 0)))
        (local.set $j (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $xj
              (f64x2.splat
                (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $sums
              (f64x2.add
                (local.get $sums)
                (f64x2.mul
                  (f64x2.replace_lane 1
                    (f64x2.splat
                      (f64.promote_f32 (f32.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))))
                    (f64.promote_f32 (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
                  (local.get $xj))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $next)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $sums))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $count))
      (then
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (call $dotF32
            (i32.add (local.get $table) (i32.mul (local.get $i) (local.get $stride)))
            (local.get $x)
            (local.get $dim))))))

  ;; t' C t for C: f32[dim * dim] row-major, t: f32[dim]: per row i, the row's sum in order, then
  ;; sum += t[i] * row, in order.
  (func (export "quadraticForm") (param $cov i32) (param $t i32) (param $dim i32) (result f64)
    (local $i i32) (local $sum f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $dim)))
        (local.set $sum
          (f64.add
            (local.get $sum)
            (f64.mul
              (f64.promote_f32 (f32.load (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 2)))))
              (call $dotF32
                (i32.add (local.get $cov) (i32.shl (i32.mul (local.get $i) (local.get $dim)) (i32.const 2)))
                (local.get $t)
                (local.get $dim)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
)
