package city.hotline.hub.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/** Rows of the public message-board data set (copied from ../shared/fixtures/boards), read by column name. */
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
        return read("/fixtures/board-posts-with-replies.csv");
    }

    /**
     * Every post of messages-with-replies.csv (2,816), without the replies, gzipped (the whole file is 5.8 MB):
     * the load driver's texts (bench/IntakeLoad), which must not repeat every few items.
     */
    public static List<Post> dataSet() {
        return read("/bench/board-posts.csv.gz");
    }

    /** A copy of rows of messages-with-replies.csv (same columns) on the test class path, gzipped when it ends in .gz. */
    public static List<Post> read(String resource) {
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (InputStream raw = BoardFixtures.class.getResourceAsStream(resource);
             InputStream in = resource.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw) : raw;
             MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class).with(header).readValues(in)) {
            List<Post> posts = new ArrayList<>();
            while (rows.hasNext()) {
                Map<String, String> r = rows.next();
                posts.add(new Post(r.get("留言编号"), r.get("留言用户"), r.get("留言主题"), r.get("留言时间"), r.get("留言详情"),
                        r.get("答复意见"), r.get("答复时间")));
            }
            return posts;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
