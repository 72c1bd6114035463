package city.hotline.hub.onboarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.support.HubIntegrationTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14, the built-ins' needs as kind properties: a file channel of kind http-poll with watermark paging
 * polls several sources (each its own cursor), pages down to the highest id stored, leaves out what is older
 * than its backfill on the first run, and its client-credentials token lives in the database
 * (channel_token), so every instance uses the one token fetched.
 */
class WatermarkPollChannelTest extends HubIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CHANNEL = "county-forum";

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PollCursorStore cursors;
    @Autowired
    ChannelStateStore state;

    @Test
    void twoSourcesArePagedDownToTheirWatermarksAndTheTokenFetchedIsTheOneInTheDatabase() throws Exception {
        long now = Instant.now().toEpochMilli();
        long old = Instant.parse("2015-01-01T00:00:00Z").toEpochMilli();
        // source a: newest page then an older one (after=8102), whose last item is older than the backfill
        stubPage("a", "", "Bearer county-token-0001", """
                {"posts": [{"pid": 8104, "text": "county-a-8104", "ms": %d}, {"pid": 8103, "text": "county-a-8103", "ms": %d},
                           {"pid": 8102, "text": "county-a-8102", "ms": %d}]}""".formatted(now, now, now));
        stubPage("a", "8102", null, """
                {"posts": [{"pid": 8101, "text": "county-a-8101", "ms": %d}, {"pid": 8050, "text": "county-a-too-old", "ms": %d}]}"""
                .formatted(now, old));
        stubPage("b", "", null, "{\"posts\": [{\"pid\": 9201, \"text\": \"county-b-9201\", \"ms\": %d}]}".formatted(now));
        stubPage("b", "9201", null, "{\"posts\": []}");
        CALLBACKS.stubFor(post(urlPathEqualTo("/county/token"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"county-token-0001\", \"expires_in\": 7200}")));
        Path dir = Path.of(CHANNELS_DIR);
        Path binding = dir.resolve("connectors/" + CHANNEL + "-channel.yaml");
        Path mapping = dir.resolve("mappings/" + CHANNEL + ".jsonata");
        Path route = dir.resolve("routes/" + CHANNEL + ".yaml");
        try {
            Files.createDirectories(binding.getParent());
            Files.createDirectories(mapping.getParent());
            Files.createDirectories(route.getParent());
            Files.writeString(mapping, """
                    reply ? { "pid": reply.channelItemId } : {
                      "origins": [{ "channel": meta.channel, "channelItemId": meta.channelItemId, "receivedAt": meta.receivedAt }],
                      "requester": { "anonymous": true },
                      "content": native.text
                    }
                    """);
            Files.writeString(route, """
                    - route:
                        id: county-forum-reply
                        from:
                          uri: direct:reply-county-forum
                          steps:
                            - log: "no replies"
                    """);
            Files.writeString(binding, """
                    kind: http-poll
                    properties:
                      url: %s/county/{source}/posts
                      interval: 200
                      paging: watermark
                      sources: a,b
                      sourceKey: "forum:{source}"
                      cursorParam: after
                      items: posts
                      itemId: pid
                      itemTime: ms
                      itemIdPrefix: "county-"
                      backfill: 86400
                      tokenUrl: %s/county/token
                      clientId: hub
                      clientSecret: county-client-secret-0001
                    """.formatted(CALLBACKS.baseUrl(), CALLBACKS.baseUrl()));

            await().atMost(WAIT).until(() -> cursors.get(CHANNEL, "forum:a").watermark(), w -> w != null && w == 8104L);
            await().atMost(WAIT).until(() -> cursors.get(CHANNEL, "forum:b").watermark(), w -> w != null && w == 9201L);
            for (String id : new String[] {"county-8104", "county-8103", "county-8102", "county-8101", "county-9201"}) {
                assertThat(inboxRows(id)).as(id).isEqualTo(1);
            }
            assertThat(inboxRows("county-8050")).as("older than the backfill on the first run").isZero();

            ChannelStateStore.Token stored = state.token(CHANNEL, "http-poll:hub").orElseThrow();
            assertThat(stored.value()).as("the token fetched is kept in the database").isEqualTo("county-token-0001");
            assertThat(stored.expiresAt()).isAfter(Instant.now().plusSeconds(3600));

            // another instance refreshed the token: this one reads it from the database, not from its memory
            jdbc.update("UPDATE channel_token SET token = 'county-token-0002' WHERE channel = ? AND account = 'http-poll:hub'", CHANNEL);
            int tokenCalls = CALLBACKS.findAll(postRequestedFor(urlPathEqualTo("/county/token"))).size();
            await().atMost(WAIT).until(() -> !CALLBACKS.findAll(getRequestedFor(urlPathEqualTo("/county/a/posts"))
                    .withHeader("Authorization", equalTo("Bearer county-token-0002"))).isEmpty());
            assertThat(CALLBACKS.findAll(postRequestedFor(urlPathEqualTo("/county/token")))).hasSize(tokenCalls);
        } finally {
            Files.deleteIfExists(binding);
            Files.deleteIfExists(mapping);
            Files.deleteIfExists(route);
        }
        await().atMost(WAIT).until(() -> camel.getRoute(CHANNEL + "-poll") == null);
    }

    private void stubPage(String source, String after, String bearer, String body) {
        var request = com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/county/" + source + "/posts"));
        request = after.isEmpty() ? request.withQueryParam("after", com.github.tomakehurst.wiremock.client.WireMock.absent())
                : request.withQueryParam("after", equalTo(after));
        if (bearer != null) {
            request = request.withHeader("Authorization", equalTo(bearer));
        }
        CALLBACKS.stubFor(request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private int inboxRows(String itemId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = ? AND channel_item_id = ?", Integer.class, CHANNEL, itemId);
        return n == null ? 0 : n;
    }
}
