/** The preview server's index page: the local digests and archive pages by date, in the digest's look. */
import { Page, SectionHeading, SmallLink } from "./components.js";
import { formatLongDate } from "./format.js";
import { renderMarkup } from "./markup.js";
import type { Listed } from "./preview-server.js";
import { color } from "./theme.js";

/** The index page HTML; `listed` is sorted newest date first. */
export function renderPreviewIndex(listed: Listed[]): string {
  const byDate = new Map<string, Listed[]>();
  for (const item of listed) byDate.set(item.date, [...(byDate.get(item.date) ?? []), item]);
  const page = (
    <Page
      title="Paperboy · local preview"
      dateLine="Local preview"
      subline={`${listed.length} ${listed.length === 1 ? "page" : "pages"}`}
      footer={<p style={{ margin: 0 }}>Served read-only from this machine.</p>}
    >
      {listed.length === 0 ? (
        <p className="pb-text" style={{ margin: "0 4px", color: color.text }}>
          Nothing rendered yet: run a digest first, then reload.
        </p>
      ) : null}
      {[...byDate.entries()].map(([date, items]) => (
        <div key={date}>
          <SectionHeading title={dateTitle(date)} />
          <ul style={{ margin: "0 0 8px", paddingLeft: "22px", lineHeight: "26px", fontSize: "15px" }}>
            {items.map((item) => (
              <li key={item.path}>
                <SmallLink samePage href={fileUrl(item.path)}>
                  {item.kind === "archive" ? "Archive of the day" : fileLabel(item.path)}
                </SmallLink>
                {item.eml ? (
                  <>
                    {" ("}
                    <SmallLink samePage href={fileUrl(item.eml)}>
                      raw .eml
                    </SmallLink>
                    {")"}
                  </>
                ) : null}
                <span className="pb-muted" style={{ color: color.muted }}>{`  ${item.path}`}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Page>
  );
  return renderMarkup(page, "web");
}

function dateTitle(date: string): string {
  try {
    return formatLongDate(date);
  } catch {
    return date;
  }
}

function fileUrl(path: string): string {
  return `/files/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function fileLabel(path: string): string {
  return `Digest ${(path.split("/").pop() ?? path).replace(/\.html$/, "")}`;
}
