package dev.inlet.core.store;

import java.util.Optional;

/** The result of the conditional put at the commit point. A duplicate is a value, not an exception. */
public sealed interface CreateOutcome {
    record Created() implements CreateOutcome {}

    /**
     * A live record already holds this key; it is returned without its body, with the SHA-256 (hex) of
     * the body stored with it (empty for a record written before the hash was kept), so that intake can
     * tell a true duplicate from a second body under the same key without reading the body back.
     */
    record Existing(EventRecord existing, Optional<String> bodySha256) implements CreateOutcome {
        public Existing {
            bodySha256 = bodySha256 == null ? Optional.empty() : bodySha256;
        }

        public Existing(EventRecord existing) {
            this(existing, Optional.empty());
        }
    }
}
