package dev.inlet.aws.dynamodb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Stored bodies are gzip-compressed when that saves at least a tenth and the store needs the room: DynamoDB
 * bills every write by item size, and JSON webhook bodies compress well. Lossless: the exact bytes received
 * come back.
 */
final class BodyCodec {
    static final String GZIP = "gzip";
    static final String IDENTITY = "identity";

    record Encoded(String encoding, byte[] bytes) {}

    private BodyCodec() {
    }

    /** The body as received. */
    static Encoded identity(byte[] raw) {
        return new Encoded(IDENTITY, raw);
    }

    /** Compressed when that saves at least a tenth, else as received. */
    static Encoded encode(byte[] raw) {
        if (raw.length < 64) {
            return new Encoded(IDENTITY, raw);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 4096)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] packed = out.toByteArray();
        return packed.length * 10 < raw.length * 9 ? new Encoded(GZIP, packed) : new Encoded(IDENTITY, raw);
    }

    static byte[] decode(String encoding, byte[] stored) {
        if (!GZIP.equals(encoding)) {
            return stored;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored), 4096)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("stored body is not valid gzip", e);
        }
    }
}
