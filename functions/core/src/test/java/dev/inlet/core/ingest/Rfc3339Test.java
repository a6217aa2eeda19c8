package dev.inlet.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void theCommonShapes_takeTheFastPath_andAgreeWithOffsetDateTime() {
        for (String s : List.of("2026-12-01T19:15:56Z", "2026-12-01T19:15:56.1Z", "2026-12-01T19:15:56.123456789Z",
                "2024-02-29T00:00:00+00:00", "1999-12-31T23:59:59-05:30", "2026-01-01T00:00:00.5+14:00",
                "2026-06-15T12:00:00-18:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z")) {
            assertNotNull(Rfc3339.fastPath(s), s);
            assertEquals(OffsetDateTime.parse(s).toInstant(), Rfc3339.parse(s), s);
        }
    }

    @Test
    void otherValidForms_stillParse_asOffsetDateTimeDoes() {
        for (String s : List.of("2026-12-01t19:15:56z", "2026-12-01T19:15Z", "2026-12-01T19:15:56+01:00:30",
                "+12026-12-01T19:15:56Z", "2026-12-01T19:15:56.Z")) {
            assertEquals(OffsetDateTime.parse(s).toInstant(), Rfc3339.parse(s), s);
        }
    }

    @Test
    void invalidTimestamps_failLikeOffsetDateTime() {
        for (String s : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z",
                "2026-12-01T19:60:00Z", "2026-12-01T19:15:60Z", "2026-12-01T19:15:56", "2026-12-01 19:15:56Z",
                "2026-12-01T19:15:56.1234567891Z", "2026-12-01T19:15:56+19:00",
                "2026-12-01T19:15:56+01:60", "2026-12-01T19:15:56Z ", "２026-12-01T19:15:56Z", "")) {
            assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(s), s);
            assertThrows(DateTimeParseException.class, () -> Rfc3339.parse(s), s);
        }
    }

    @Test
    void randomInstantsAndMangledText_agreeWithOffsetDateTime_everyTime() {
        Random random = new Random(20261201);
        String alphabet = "0123456789-+:.TZtz ";
        for (int k = 0; k < 100_000; k++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
            int offsetMinutes = random.nextInt(-18 * 60, 18 * 60 + 1);
            String text = at.atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).toString();
            if (random.nextInt(3) == 0) {   // flip one character
                char[] c = text.toCharArray();
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
                text = new String(c);
            }
            Object expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            Object actual;
            try {
                actual = Rfc3339.parse(text);
            } catch (DateTimeParseException e) {
                actual = DateTimeParseException.class;
            }
            assertEquals(expected, actual, text);
        }
    }
}
