package dev.inlet.core.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.OptionalInt;

/**
 * Shared-secret tokens compared in constant time. Both sides are hashed first, so the comparison takes
 * the same time whatever the lengths and wherever the first difference is.
 */
public final class Tokens {
    private final List<byte[]> digests;

    private Tokens(List<byte[]> digests) {
        this.digests = digests;
    }

    public static Tokens of(List<String> tokens) {
        return new Tokens(tokens.stream().map(Tokens::digest).toList());
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public OptionalInt match(String candidate) {
        byte[] probe = digest(candidate == null ? "" : candidate);
        int found = -1;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(digests.get(i), probe) && found < 0) {
                found = i;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }

    private static byte[] digest(String token) {
        return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
    }
}
