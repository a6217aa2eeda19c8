package dev.inlet.core.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An immutable list of HMAC-SHA256 keys (several at once, for rotation). Matching computes the MAC
 * under every key and compares each in constant time, so timing says nothing about which key, if any,
 * matched or where a guess first differs.
 */
public final class HmacKeys {
    private static final String ALGORITHM = "HmacSHA256";
    private final List<SecretKeySpec> keys;
    /** One initialised Mac per key and thread: getInstance and init cost more than a webhook's MAC. */
    private final ThreadLocal<Mac[]> macs;

    private HmacKeys(List<SecretKeySpec> keys) {
        this.keys = keys;
        this.macs = ThreadLocal.withInitial(() -> new Mac[keys.size()]);
    }

    public static HmacKeys of(List<byte[]> rawKeys) {
        List<SecretKeySpec> keys = new ArrayList<>(rawKeys.size());
        for (byte[] k : rawKeys) {
            keys.add(new SecretKeySpec(k, ALGORITHM));
        }
        return new HmacKeys(List.copyOf(keys));
    }

    /** Each secret's UTF-8 bytes as a key (the whole string, prefix included, as Rheo and Reusely sign). */
    public static HmacKeys utf8(List<String> secrets) {
        List<byte[]> raw = new ArrayList<>(secrets.size());
        for (String s : secrets) {
            raw.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return of(raw);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** The MAC of {@code message} under key {@code index}; for signing test requests. */
    public byte[] sign(int index, byte[] message) {
        return macOf(index).doFinal(message);
    }

    /** The index of the first key whose MAC equals {@code candidate}; every key is always tried. */
    public OptionalInt match(byte[] message, byte[] candidate) {
        int found = -1;
        for (int i = 0; i < keys.size(); i++) {
            boolean equal = MessageDigest.isEqual(macOf(i).doFinal(message), candidate);
            if (equal && found < 0) {
                found = i;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }

    public static byte[] hmacSha256(byte[] key, byte[] message) {
        return mac(new SecretKeySpec(key, ALGORITHM), message);
    }

    /** This thread's Mac under key {@code index}; {@code doFinal} leaves it ready for the next message. */
    private Mac macOf(int index) {
        Mac[] mine = macs.get();
        if (mine[index] == null) {
            mine[index] = initialised(keys.get(index));
        }
        return mine[index];
    }

    private static byte[] mac(SecretKeySpec key, byte[] message) {
        return initialised(key).doFinal(message);
    }

    private static Mac initialised(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present in the JDK", e);
        }
    }
}
