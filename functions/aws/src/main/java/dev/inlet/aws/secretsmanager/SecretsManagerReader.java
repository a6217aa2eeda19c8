package dev.inlet.aws.secretsmanager;

import dev.inlet.core.secret.SecretReader;
import dev.inlet.core.secret.SecretUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads a secret's current {@code SecretString} with {@code GetSecretValue} (the function's role may
 * call it on its own secret only). Failures become {@link SecretUnavailableException} carrying AWS's
 * error code or the exception's class, never a message that could echo a value.
 */
public final class SecretsManagerReader implements SecretReader {
    private final SecretsManagerClient client;

    public SecretsManagerReader(SecretsManagerClient client) {
        this.client = client;
    }

    @Override
    public String read(String secretId) throws SecretUnavailableException {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(r -> r.secretId(secretId));
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new SecretUnavailableException(code == null ? "HTTP " + e.statusCode() : code);
        } catch (SdkException e) {
            throw new SecretUnavailableException(e.getClass().getSimpleName());
        }
        if (response.secretString() == null) {
            throw new SecretUnavailableException("the secret has no SecretString (binary secrets are not read)");
        }
        return response.secretString();
    }
}
