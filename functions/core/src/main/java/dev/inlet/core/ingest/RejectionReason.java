package dev.inlet.core.ingest;

/** Why a request was turned away. The wire code is what the provider sees: short, no internals. */
public enum RejectionReason {
    NO_SECRETS_CONFIGURED("not_configured"),
    MISSING_SIGNATURE("missing_signature"),
    MALFORMED_SIGNATURE("malformed_signature"),
    BAD_SIGNATURE("bad_signature"),
    /** The signed fields the signature is computed over are missing from the body (Reusely). */
    UNVERIFIABLE_BODY("unverifiable_body"),
    /** A signed id written in a non-canonical form (leading zero, sign, exponent...): Reusely. */
    OBJECT_ID_MALFORMED("object_id_malformed"),
    BAD_TOKEN("bad_token"),
    UNKNOWN_ROUTE("not_found"),
    TIMESTAMP_MISSING("timestamp_missing"),
    TIMESTAMP_MALFORMED("timestamp_malformed"),
    TIMESTAMP_TOO_OLD("timestamp_too_old"),
    TIMESTAMP_IN_FUTURE("timestamp_in_future"),
    BODY_TOO_LARGE("body_too_large"),
    HEADERS_TOO_LARGE("headers_too_large");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
