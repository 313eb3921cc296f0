/** Unsubscribe links, the opt-out they trigger, and SES bounce/complaint/send feedback. */
export { handleUnsubscribe, type UnsubscribeRequest, type UnsubscribeResponse } from "./endpoint.js";
export { type OptOutResult, recordOptOut } from "./opt-out.js";
export {
  applySesFeedback,
  type FeedbackResult,
  parseSesNotification,
  type SesFeedback,
} from "./ses-events.js";
export { keyFromSecretString, loadOrCreateLocalKey, localKeyPath } from "./signing-key.js";
export {
  MIN_KEY_BYTES,
  signSubscriber,
  subscriberSigner,
  unsubscribeLinker,
  unsubscribeUrl,
  verifyUnsubscribe,
} from "./token.js";
