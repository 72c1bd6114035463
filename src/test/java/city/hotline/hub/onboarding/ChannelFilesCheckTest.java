package city.hotline.hub.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, validation in the build: every connector, mapping and route file of the repository (and of the
 * guide's example channel) is checked, and every sample payload under src/test/resources/channels/&lt;name&gt;/
 * maps to a ticket valid against mappings/ticket.schema.json.
 */
class ChannelFilesCheckTest {

    static final Path GUIDE = Path.of("docs", "channel-onboarding", "app12345");

    @Test
    void everyKameletHasAJsonSchemaPropertyBlockWithItsSecretsMarked() throws IOException {
        List<Path> kamelets = files(Path.of("connectors"), ".kamelet.yaml");
        assertThat(kamelets).isNotEmpty();
        for (Path k : kamelets) {
            String name = k.getFileName().toString().replace(".kamelet.yaml", "");
            ConnectorKinds.Kind kind = ConnectorKinds.parse(name, name, Files.readString(k));
            JsonNode props = kind.definition().path("properties");
            props.fields().forEachRemaining(e -> {
                assertThat(e.getValue().has("type")).as(k + ": property " + e.getKey() + " has a type").isTrue();
                assertThat(e.getValue().has("title")).as(k + ": property " + e.getKey() + " has a title").isTrue();
                if (e.getKey().matches("(?i).*(secret|password|token|aeskey).*") && !e.getKey().equals("tokenUrl")) {
                    assertThat(kind.secrets()).as(k + ": " + e.getKey() + " is marked a secret (format: password)").contains(e.getKey());
                }
            });
            for (JsonNode required : kind.definition().path("required")) {
                assertThat(props.has(required.asText())).as(k + ": required property " + required.asText() + " is defined").isTrue();
            }
        }
        assertThat(ConnectorKinds.find("webhook")).isPresent();
        assertThat(ConnectorKinds.find("http-poll")).isPresent();
    }

    @Test
    void everyMappingCompiles() throws IOException {
        List<Path> mappings = new ArrayList<>(files(Path.of("mappings"), ".jsonata"));
        mappings.addAll(files(GUIDE.resolve("mappings"), ".jsonata"));
        assertThat(mappings).hasSizeGreaterThan(5);
        for (Path m : mappings) {
            ChannelFiles.checkMapping(m.toString(), Files.readString(m, StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyRouteFileParsesAsCamelYaml() throws Exception {
        List<Path> routes = new ArrayList<>(files(Path.of("routes"), ".yaml"));
        routes.addAll(files(GUIDE.resolve("routes"), ".yaml"));
        routes.addAll(files(Path.of("src/main/resources/hub-channels/routes"), ".yaml"));
        routes.addAll(files(Path.of("src/test/resources/hub-channels/routes"), ".yaml"));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (Path r : routes) {
                assertThat(r.getFileName().toString().chars().filter(c -> c == '.').count())
                        .as(r + ": no extra dots in a route file's name (DESIGN.md §9)").isEqualTo(1);
                var resource = ResourceHelper.fromString("file:" + r, Files.readString(r, StandardCharsets.UTF_8));
                for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource))) {
                    var defs = ((RouteBuilder) b).configureRoutes(camel);
                    defs.getRoutes().forEach(d -> assertThat(d.getRouteId()).as(r + ": every route has an id").isNotBlank());
                }
            }
        }
    }

    @Test
    void everyChannelBindingInTheRepositoryIsValidAgainstItsKindsSchemaAndItsMappingCompiles() throws IOException {
        List<Path> bindings;
        try (Stream<Path> all = Stream.concat(Files.walk(Path.of("docs")), Files.walk(Path.of("src")))) {
            bindings = all.filter(p -> p.getFileName().toString().endsWith(ChannelFiles.BINDING_SUFFIX)
                    && p.getParent().getFileName().toString().equals("connectors")).sorted().toList();
        }
        assertThat(bindings).extracting(p -> p.getFileName().toString()).contains("app12345-channel.yaml", "packaged-hook-channel.yaml");
        for (Path binding : bindings) {
            String name = ChannelFiles.channelOf(binding.getFileName().toString());
            ChannelBinding b = ChannelFiles.readBinding(name, binding.toString(), Files.readString(binding), DryRunCommand::resolve);
            Path root = binding.getParent().getParent();
            Path mapping = root.resolve("mappings").resolve(b.mapping());
            ChannelFiles.checkMapping(mapping.toString(), Files.readString(mapping, StandardCharsets.UTF_8));
            assertThat(root.resolve("routes").resolve(name + ".yaml")).as(binding + ": its route file").exists();
            b.secrets().forEach(secret -> {
                if (b.property(secret) != null) {
                    assertThat(b.toString()).as("a binding never shows its secrets").doesNotContain(b.property(secret));
                }
            });
        }
    }

    @Test
    void aBindingThatBreaksItsKindsSchemaIsRefusedAtItsLine() {
        String text = """
                kind: webhook
                properties:
                  path: reports
                  verify: sometimes
                  secret: a-secret-long-enough-for-the-schema
                """;
        assertThatThrownBy(() -> ChannelFiles.readBinding("app", "connectors/app-channel.yaml", text, v -> v))
                .isInstanceOfSatisfying(ChannelFileError.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage()).startsWith("connectors/app-channel.yaml:4:").contains("verify");
                });
        assertThatThrownBy(() -> ChannelFiles.readBinding("app", "connectors/app-channel.yaml",
                "kind: webhook\nproperties:\n  path: reports\n  secret: local-dev-secret\n", v -> v))
                .isInstanceOfSatisfying(ChannelFileError.class, e -> {
                    assertThat(e.line()).as("a shipped default secret").isEqualTo(4);
                    assertThat(e.getMessage()).doesNotContain("local-dev-secret");
                });
        assertThatThrownBy(() -> ChannelFiles.readBinding("app", "connectors/app-channel.yaml", "kind: carrier-pigeon\n", v -> v))
                .isInstanceOfSatisfying(ChannelFileError.class, e -> assertThat(e.getMessage()).contains(":1:").contains("unknown kind"));
        assertThatThrownBy(() -> ChannelFiles.readBinding("app", "connectors/app-channel.yaml",
                "kind: webhook\nproperties:\n  path: [unclosed\n", v -> v))
                .isInstanceOfSatisfying(ChannelFileError.class, e -> assertThat(e.line()).isGreaterThan(0));
    }

    @Test
    void aMappingSyntaxErrorIsLocatedByLineAndColumn() {
        assertThatThrownBy(() -> ChannelFiles.checkMapping("mappings/x.jsonata", "(\n  $a := 1;\n  { \"b\": $a \n)"))
                .isInstanceOfSatisfying(ChannelFileError.class, e -> {
                    assertThat(e.file()).isEqualTo("mappings/x.jsonata");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.column()).isGreaterThan(0);
                });
    }

    @Test
    void everySamplePayloadMapsToAValidTicket() throws IOException {
        DryRun dryRun = new DryRun(Files.readString(Path.of("mappings/ticket.schema.json")),
                new city.hotline.hub.ticket.MappingFunctions(new city.hotline.hub.calendar.WorkingCalendar("classpath*:mappings/calendar/*.csv")));
        Path samples = Path.of("src/test/resources/channels");
        List<String> channels = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(samples)) {
            dirs.filter(Files::isDirectory).sorted().forEach(d -> channels.add(d.getFileName().toString()));
        }
        assertThat(channels).contains("webform", "weixin", "board", "weibo", "mail", "app12345");
        for (String name : channels) {
            DryRun.Channel channel = DryRunCommand.channel(GUIDE, Path.of("mappings"), name);
            for (Path sample : files(samples.resolve(name), ".json")) {
                String status = channel.replyStyle() == DryRun.ReplyStyle.NONE ? null : "REPLIED";
                Map<String, Object> result = dryRun.run(channel, Files.readString(sample, StandardCharsets.UTF_8), status, null);
                assertThat(result.get("valid")).as(sample + ": " + Json.write(result)).isEqualTo(true);
                assertThat(result.get("ticket")).as(sample.toString()).isNotNull();
                if (status != null) {
                    assertThat(result.get("reply")).as(sample + " has a reply for REPLIED").isNotNull();
                }
            }
        }
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
