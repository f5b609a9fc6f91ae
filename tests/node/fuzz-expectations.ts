// What the fuzz tests hold the server to, shared by the handshake and HTTP body fuzzers.

/**
 * The error codes malformed input may be answered with. `internal/error` is not among
 * them: the server must recognise bad input as the caller's, never fail on it.
 * `auth/forbidden` is the answer to a well-formed `list` sent without the inspector token.
 */
export const MALFORMED_INPUT_CODES =
  /^(request\/(invalid|too_large)|actor\/(invalid_key|invalid_id|unknown_name|not_found|already_exists|destroying)|action\/(not_found|invalid_args)|auth\/forbidden)$/;

