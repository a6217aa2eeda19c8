package dev.inlet.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the X-Ray SDK in a cold-start child sends its segment documents (UDP, as to the X-Ray daemon in
 * Lambda): a socket of the benchmark's own JVM, outside the measured process, that counts the documents
 * of the benchmark's trace. A count of zero after an X-Ray child means the SDK traced nothing and its
 * row measured nothing.
 */
final class XrayDaemonStandIn implements AutoCloseable {
    /** A made-up, sampled trace header, as Lambda sets {@code _X_AMZN_TRACE_ID} for a traced invocation. */
    static final String TRACE_ROOT = "1-6751a1c0-0123456789abcdef01234567";
    static final String TRACE_HEADER = "Root=" + TRACE_ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1";

    private final DatagramSocket socket;
    private final AtomicInteger documents = new AtomicInteger();

    private XrayDaemonStandIn(DatagramSocket socket) {
        this.socket = socket;
    }

    static XrayDaemonStandIn start() throws SocketException {
        XrayDaemonStandIn d = new XrayDaemonStandIn(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        Thread t = new Thread(d::receive, "xray-daemon-stand-in");
        t.setDaemon(true);
        t.start();
        return d;
    }

    int port() {
        return socket.getLocalPort();
    }

    int documents() {
        return documents.get();
    }

    private void receive() {
        byte[] buffer = new byte[64 * 1024];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (java.io.IOException e) {
                return;
            }
            if (new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).contains(TRACE_ROOT)) {
                documents.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
