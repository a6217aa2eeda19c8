package dev.inlet.bench;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.local.emulator.LocalHttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One fresh JVM of {@link HttpStartup}: start one kind of server, serve one request, print the time. */
public final class HttpStartupChild {
    private HttpStartupChild() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        HttpHandler hello = exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
        int port;
        AutoCloseable server;
        if (args[0].equals("jdk")) {
            HttpServer jdk = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            ExecutorService pool = Executors.newFixedThreadPool(32);
            jdk.setExecutor(pool);
            jdk.createContext("/", hello);
            jdk.start();
            port = jdk.getAddress().getPort();
            server = () -> {
                jdk.stop(0);
                pool.shutdownNow();
            };
        } else {
            LocalHttpServer jetty = new LocalHttpServer(0, List.of(), Clock.systemUTC());
            jetty.serveOthers(hello);
            port = jetty.port();
            server = jetty;
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            if (!status.equals("HTTP/1.1 200")) {
                throw new IllegalStateException("unexpected answer: " + status);
            }
            in.readAllBytes();
        }
        System.out.println("DONE " + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        server.close();
        System.exit(0);
    }
}
