package dev.inlet.core.secret;

/** A secret could not be read. The message is an error code or class name: never a secret value. */
public final class SecretUnavailableException extends Exception {
    public SecretUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
