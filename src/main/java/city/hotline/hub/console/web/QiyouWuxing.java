package city.hotline.hub.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.ticket.HubProperties;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The 七有 needs (幼有所育, 学有所教, 劳有所得, 病有所医, 老有所养, 住有所居, 弱有所扶) and 五性 demands
 * (便利性, 宜居性, 多样性, 公正性, 安全性) of a request, from its category, by the table
 * {@code mappings/qiyou-wuxing.csv} (read from {@code hub.mappings-location}, so it can change without
 * a rebuild). A row matches when the category code starts with its key or a path element equals it;
 * the first matching row with a value wins, for each of the two dimensions separately.
 */
@Component
public class QiyouWuxing {

    public static final String UNCLASSIFIED = "未归类";

    record Row(String key, String qiyou, String wuxing) {
    }

    public record Dimensions(String qiyou, String wuxing) {
    }

    private final List<Row> rows;

    @org.springframework.beans.factory.annotation.Autowired
    public QiyouWuxing(ResourceLoader resources, HubProperties hub) throws IOException {
        this(read(resources.getResource(hub.mappingsLocation() + "/qiyou-wuxing.csv")));
    }

    QiyouWuxing(List<Row> rows) {
        this.rows = rows;
    }

    static List<Row> read(Resource resource) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.ALLOW_COMMENTS).enable(CsvParser.Feature.TRIM_SPACES);
        List<Row> out = new ArrayList<>();
        try (InputStream in = resource.getInputStream();
             MappingIterator<java.util.Map<String, String>> it = mapper.readerFor(java.util.Map.class)
                     .with(CsvSchema.emptySchema().withHeader().withComments())
                     .readValues(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
            while (it.hasNext()) {
                java.util.Map<String, String> r = it.next();
                String key = r.get("key");
                if (key != null && !key.isBlank()) {
                    out.add(new Row(key.strip(), blank(r.get("qiyou")), blank(r.get("wuxing"))));
                }
            }
        }
        return List.copyOf(out);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** @param path the category path elements (may be empty) */
    public Dimensions of(String code, List<String> path) {
        String qiyou = null;
        String wuxing = null;
        for (Row r : rows) {
            boolean match = (code != null && code.startsWith(r.key())) || path.contains(r.key());
            if (!match) {
                continue;
            }
            if (qiyou == null) {
                qiyou = r.qiyou();
            }
            if (wuxing == null) {
                wuxing = r.wuxing();
            }
            if (qiyou != null && wuxing != null) {
                break;
            }
        }
        return new Dimensions(qiyou == null ? UNCLASSIFIED : qiyou, wuxing == null ? UNCLASSIFIED : wuxing);
    }
}
