package dev.inlet.core.secret;

/** Reads the current value of a secret held outside the function (Secrets Manager in AWS). */
@FunctionalInterface
public interface SecretReader {
    /**
     * @param secretId the secret's ARN
     * @return the secret string
     * @throws SecretUnavailableException the secret could not be read now; the message never holds a value
     */
    String read(String secretId) throws SecretUnavailableException;
}
