package city.hotline.hub.channel.cti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * FreeSWITCH's mod_event_socket as far as the hub uses it, on a plain ServerSocket: it asks for the
 * password ({@code auth/request}), accepts it, confirms the event subscription, and then sends the
 * frames a test gives it. Each accepted connection is handed to the test ({@link #nextConnection}).
 */
public final class EslStub implements AutoCloseable {

    public static final String PASSWORD = "ClueCon-test";
    /** Chosen once per JVM, before the Spring context starts (the hub is configured with it). */
    public static final int PORT = freePort();

    private final ServerSocket server;
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public EslStub() throws IOException {
        server = new ServerSocket(PORT, 5, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "esl-stub");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setSoTimeout(20_000);
                accepted.add(new Connection(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** The next connection the hub opens, within {@code seconds}; null if none. */
    public Connection nextConnection(int seconds) throws InterruptedException {
        return accepted.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One event-socket connection, from the server's side. */
    public static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** auth/request, the hub's auth command, +OK accepted, its event command, +OK event listener enabled. */
        public String handshake() throws IOException {
            send("Content-Type: auth/request\n\n");
            String auth = readCommand();
            if (!auth.equals("auth " + PASSWORD)) {
                send("Content-Type: command/reply\nReply-Text: -ERR invalid\n\n");
                throw new AssertionError("the hub sent " + auth);
            }
            send("Content-Type: command/reply\nReply-Text: +OK accepted\n\n");
            String events = readCommand();
            send("Content-Type: command/reply\nReply-Text: +OK event listener enabled " + events.split(" ")[1] + "\n\n");
            return events;
        }

        /** A command from the hub: text up to the blank line that ends it. */
        public String readCommand() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the hub closed the connection");
                }
                if (b == '\n' && previous == '\n') {
                    return buf.toString(StandardCharsets.UTF_8).strip();
                }
                buf.write(b);
                previous = b;
            }
        }

        /** An event frame: Content-Length and Content-Type, then the body. */
        public void sendEvent(String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "Content-Length: " + bytes.length + "\nContent-Type: " + contentType + "\n\n";
            // in two writes, split inside the body: the hub must wait for the whole Content-Length
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            out.flush();
        }

        public void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
