package city.hotline.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * A handful of real posts of a government message board with their official replies (rows copied
 * from ../shared/fixtures/boards/messages-with-replies.csv). The feeder submits them; the stand-in
 * case system answers each with the reply the city really gave.
 */
@Component
@Profile("demo")
public class DemoBoardPosts {

    /** One row: 留言编号, 留言用户, 留言主题, 留言时间, 留言详情, 答复意见. */
    public record Post(String id, String user, String subject, String time, String body, String reply) {
    }

    private static final Pattern EXTERNAL_ID = Pattern.compile("^board-(\\d+)-");
    private final List<Post> posts;

    public DemoBoardPosts(DemoProperties props, ResourceLoader resources) {
        this.posts = read(resources, props.feeder().posts());
    }

    public List<Post> all() {
        return posts;
    }

    /** The web form item id for a post; unique per run so every demo run shows new tickets. */
    public static String externalId(Post post, String runTag) {
        return "board-" + post.id() + "-" + runTag;
    }

    /** The post behind a web form item id made by {@link #externalId}, if any. */
    public Optional<Post> byExternalId(String externalId) {
        Matcher m = externalId == null ? null : EXTERNAL_ID.matcher(externalId);
        if (m == null || !m.find()) {
            return Optional.empty();
        }
        return posts.stream().filter(p -> p.id().equals(m.group(1))).findFirst();
    }

    private static List<Post> read(ResourceLoader resources, String location) {
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (InputStream in = resources.getResource(location).getInputStream();
             MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class).with(header).readValues(in)) {
            return rows.readAll().stream()
                    .map(r -> new Post(r.get("留言编号"), r.get("留言用户"), r.get("留言主题"), r.get("留言时间"),
                            r.get("留言详情").strip(), r.get("答复意见").strip()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo's board posts from " + location, e);
        }
    }
}
