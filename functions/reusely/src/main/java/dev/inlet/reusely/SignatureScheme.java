package dev.inlet.reusely;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How Reusely encodes its HMAC-SHA256 in {@code Authorization}. Publicly confirmed: SHA-256 with the
 * secret over {@code object_id + timestamp}. Unconfirmed: hex or base64 (and HMAC at all). Hence a
 * setting, {@code REUSELY_SIGNATURE_SCHEME}; the log line of every accepted request names the scheme
 * that matched, so the first real delivery confirms it.
 */
public enum SignatureScheme {
    HMAC_SHA256_HEX("hmac-sha256-hex"),
    HMAC_SHA256_BASE64("hmac-sha256-base64");

    private final String setting;

    SignatureScheme(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static SignatureScheme from(Env env) {
        String value = env.optional("REUSELY_SIGNATURE_SCHEME").orElse(HMAC_SHA256_HEX.setting);
        for (SignatureScheme s : values()) {
            if (s.setting.equals(value)) {
                return s;
            }
        }
        throw new ConfigException("REUSELY_SIGNATURE_SCHEME", "must be hmac-sha256-hex or hmac-sha256-base64");
    }

    /** @throws IllegalArgumentException when the text is not in this encoding */
    byte[] decode(String text) {
        return this == HMAC_SHA256_HEX ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
    }

    String encode(byte[] mac) {
        return this == HMAC_SHA256_HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
    }
}
