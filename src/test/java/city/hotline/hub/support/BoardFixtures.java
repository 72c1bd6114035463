package city.hotline.hub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;

/**
 * Rows of the public message-board data set (copied from ../shared/fixtures/boards), read with a
 * minimal RFC 4180 parser: quoted fields span lines and double their quotes.
 */
public final class BoardFixtures {

    public record Post(String id, String user, String subject, String time, String body, String reply, String replyTime) {
        /** The post as a web-form submission. */
        public String asWebform(String externalId, String callbackUrl) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("externalId", externalId);
            m.put("title", subject);
            m.put("content", body);
            m.put("requester", Map.of("name", user));
            m.put("submittedAt", time);
            if (callbackUrl != null) {
                m.put("callbackUrl", callbackUrl);
            }
            return Json.write(m);
        }
    }

    private BoardFixtures() {
    }

    public static List<Post> postsWithReplies() {
        try (InputStream in = BoardFixtures.class.getResourceAsStream("/fixtures/board-posts-with-replies.csv")) {
            List<List<String>> rows = parse(new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            List<Post> posts = new ArrayList<>();
            for (List<String> r : rows.subList(1, rows.size())) {
                posts.add(new Post(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6)));
            }
            return posts;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<List<String>> parse(Reader reader) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int c;
        while ((c = reader.read()) != -1) {
            if (quoted) {
                if (c == '"') {
                    reader.mark(1);
                    int next = reader.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        reader.reset();
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
