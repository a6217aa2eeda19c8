package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.MotoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * moto_server binds port 0 and reports the port it got, so the endpoint {@link MotoServer} hands out is
 * always a socket its own process holds: never a port found free earlier and taken meanwhile by another
 * process (on this machine, often another build's moto_server, which would have answered the readiness
 * check in its place).
 */
class MotoServerTest {

    @Test
    void started_itsEndpointIsASocketItsOwnProcessListensOn() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "reads the socket table from Linux's /proc");
        try (MotoServer moto = MotoServer.start()) {
            long listening = listeningInode(moto.endpoint().getPort());
            Set<Long> owned = socketInodes(moto.process());

            assertTrue(owned.contains(listening), "port " + moto.endpoint().getPort() + " is listened on by socket "
                    + listening + ", moto_server (pid " + moto.process().pid() + ") holds " + owned);
        }
    }

    @Test
    void twoStartedAtOnce_eachHasItsOwnPortAndItsOwnState() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        CompletableFuture<MotoServer> other = CompletableFuture.supplyAsync(MotoServerTest::startMoto);
        try (MotoServer one = MotoServer.start(); MotoServer two = other.join();
             SecretsManagerClient oneClient = secrets(one); SecretsManagerClient twoClient = secrets(two)) {
            assertNotEquals(one.endpoint().getPort(), two.endpoint().getPort());

            oneClient.createSecret(r -> r.name("inlet/moto-port-test").secretString("not-a-real-secret"));

            assertEquals(List.of("inlet/moto-port-test"), names(oneClient));
            assertEquals(List.of(), names(twoClient));
        }
    }

    @Test
    void closed_itsPortNoLongerAnswers() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        MotoServer moto = MotoServer.start();
        int port = moto.endpoint().getPort();
        try (Socket answered = new Socket("127.0.0.1", port)) {
            assertTrue(answered.isConnected());
        }

        moto.close();

        assertFalse(moto.process().isAlive());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    private static MotoServer startMoto() {
        try {
            return MotoServer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SecretsManagerClient secrets(MotoServer moto) {
        Map<String, String> env = Map.of("AWS_REGION", EmbeddedBackends.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY,
                "EVENTS_TABLE", "unused", "SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
        return TestClients.of(BackendSettings.from(Env.of(env))).secretsManager();
    }

    private static List<String> names(SecretsManagerClient client) {
        return client.listSecrets().secretList().stream().map(SecretListEntry::name).toList();
    }

    /** The inode of the socket listening on 127.0.0.1:{@code port}, from the kernel's TCP table. */
    private static long listeningInode(int port) throws IOException {
        String local = "0100007F:" + String.format(Locale.ROOT, "%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].equals(local) && f[3].equals("0A")) {   // 0A: LISTEN
                return Long.parseLong(f[9]);
            }
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port);
    }

    /** The inodes of every socket the process and its descendants (pyenv's shim execs python) hold open. */
    private static Set<Long> socketInodes(ProcessHandle process) throws IOException {
        Set<Long> inodes = new HashSet<>();
        for (ProcessHandle p : Stream.concat(Stream.of(process), process.descendants()).toList()) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            try (Stream<Path> open = Files.list(fds)) {
                for (Path fd : open.toList()) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException closedMeanwhile) {
                        continue;
                    }
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
            }
        }
        return inodes;
    }
}
