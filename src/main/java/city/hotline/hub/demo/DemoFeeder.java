package city.hotline.hub.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.HubProperties;
import city.hotline.hub.ticket.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the hub has started, submits the demo's board posts one by one through the real web form
 * intake ({@code POST /api/v1/intake/webform}, with an API key), each asking for status callbacks
 * at the demo's citizen stand-in ({@link DemoCallbacks}).
 */
@Component
@Profile("demo")
@ConditionalOnProperty(name = "hub.demo.feeder.enabled", havingValue = "true")
public class DemoFeeder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);

    private final DemoBoardPosts posts;
    private final DemoScheduler scheduler;
    private final DemoHubAddress hub;
    private final DemoProperties.Feeder settings;
    private final String apiKey;
    /** makes this run's item ids new, so a second run on the same data directory shows new tickets too */
    private final String runTag = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoFeeder(DemoBoardPosts posts, DemoScheduler scheduler, DemoHubAddress hub, DemoProperties props, HubProperties hubProps) {
        this.posts = posts;
        this.scheduler = scheduler;
        this.hub = hub;
        this.settings = props.feeder();
        List<String> keys = hubProps.api() == null || hubProps.api().keys() == null ? List.of() : hubProps.api().keys();
        this.apiKey = keys.isEmpty() ? "" : keys.get(0).trim();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void feed() {
        LOG.info("Demo feeder: {} board posts will be submitted through the web form intake, one every {} ms",
                posts.all().size(), settings.interval().toMillis());
        Duration at = settings.initialDelay();
        for (DemoBoardPosts.Post post : posts.all()) {
            scheduler.after(at, () -> submit(post));
            at = at.plus(settings.interval());
        }
    }

    private void submit(DemoBoardPosts.Post post) {
        String externalId = DemoBoardPosts.externalId(post, runTag);
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("externalId", externalId);
        submission.put("title", post.subject());
        submission.put("content", post.body());
        submission.put("requester", Map.of("name", post.user()));
        submission.put("submittedAt", post.time());
        submission.put("callbackUrl", hub.url("/demo/callbacks/" + externalId));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/intake/webform")))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Api-Key", apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(submission), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (answer.statusCode() == 202) {
                LOG.info("Demo feeder: board post {} '{}' submitted as web form item {}, hub answered 202 {}",
                        post.id(), post.subject(), externalId, answer.body());
            } else {
                LOG.warn("Demo feeder: board post {} refused by the web form intake with {}: {}", post.id(), answer.statusCode(), answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Demo feeder: board post {} not submitted: {}", post.id(), e.toString());
        }
    }
}
