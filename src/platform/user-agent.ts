// How ccsso names itself to AWS (docs/protocols.md §3.1), so an organisation finds ccsso's calls in
// CloudTrail's userAgent: the SDK clients' app id and the User-Agent of the aws4fetch calls.
import { VERSION } from "../version";

/** The SDK's `userAgentAppId`: rendered `app/ccsso#<version>`, as the AWS CLI's sdk_ua_app_id is. */
export const userAgentAppId = `ccsso#${VERSION}`;

/** User-Agent of the calls ccsso signs itself (STS, CodeCommit). */
export const userAgent = `ccsso/${VERSION} app/ccsso#${VERSION}`;
