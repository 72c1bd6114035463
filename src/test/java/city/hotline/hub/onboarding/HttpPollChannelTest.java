package city.hotline.hub.onboarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.cluster.ClusterMembers;
import city.hotline.hub.cluster.ClusterProperties;
import city.hotline.hub.cluster.CoordinatorClusterService;
import city.hotline.hub.cluster.LeaderOnlyRoutes;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.support.HubIntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14: a polled channel defined by files (kind http-poll): its items reach the inbox and become
 * tickets, an item the binding cannot identify is quarantined, the cursor taken from the answer is
 * kept, the API's token is fetched from its token endpoint, its polling route is leader-only, and it stops
 * when its binding is removed.
 */
class HttpPollChannelTest extends HubIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PollCursorStore cursors;

    @Test
    void aDistrictBoardPolledThroughTheHttpPollKindBecomesTicketsAndQuarantinesAnItemWithoutId() throws Exception {
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/district/threads")).withQueryParam("after", absent())
                .withHeader("Authorization", equalTo("Bearer district-board-token-0001"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"code": 0, "data": {"list": [
                          {"tid": "DB-7001", "subject": "路灯不亮", "body": "花园路口路灯三天不亮。", "postedAt": "2026/11/30 8:05:00"},
                          {"subject": "没有编号的帖子", "body": "unreadable-item-marker"}
                        ], "next": "c-7001"}}""")));
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/district/threads")).withQueryParam("after", equalTo("c-7001"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\": 0, \"data\": {\"list\": [], \"next\": \"c-7001\"}}")));
        // the client-credentials token the API's pages need
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/district/oauth/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_secret=district-client-secret-0001"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"district-board-token-0001\", \"expires_in\": 7200}")));
        Path dir = Path.of(CHANNELS_DIR);
        Path binding = dir.resolve("connectors/district-board-channel.yaml");
        Path mapping = dir.resolve("mappings/district-board.jsonata");
        Path route = dir.resolve("routes/district-board.yaml");
        try {
            Files.createDirectories(binding.getParent());
            Files.createDirectories(mapping.getParent());
            Files.createDirectories(route.getParent());
            Files.writeString(mapping, """
                    reply ? { "tid": reply.channelItemId, "content": reply.reply } : {
                      "origins": [{ "channel": meta.channel, "channelItemId": native.tid, "receivedAt": $utc(native.postedAt),
                                    "replyTarget": { "tid": native.tid } }],
                      "requester": { "anonymous": true },
                      "title": native.subject,
                      "content": native.body
                    }
                    """);
            Files.writeString(route, """
                    - route:
                        id: district-board-reply
                        routeConfigurationId: reply-errors
                        from:
                          uri: direct:reply-district-board
                          steps:
                            - bean: { ref: channelReplies, method: map }
                            - setHeader: { name: hubCallbackUrl, constant: "%s/district/replies" }
                            - to: kamelet:webhook-sink
                            - bean: { ref: replyOutcome, method: onHttpResponse }
                    """.formatted(CALLBACKS.baseUrl()));
            Files.writeString(binding, """
                    kind: http-poll
                    properties:
                      url: %s/district/threads
                      interval: 300
                      items: data.list
                      itemId: tid
                      cursor: data.next
                      cursorParam: after
                      tokenUrl: %s/district/oauth/token
                      clientId: hub
                      clientSecret: district-client-secret-0001
                    """.formatted(CALLBACKS.baseUrl(), CALLBACKS.baseUrl()));

            JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("district-board", "DB-7001"), t -> t != null);
            assertThat(ticket.get("title").asText()).isEqualTo("路灯不亮");
            List<Map<String, Object>> quarantined = await().atMost(WAIT).until(() -> jdbc.queryForList(
                    "SELECT stage, reason FROM quarantine WHERE channel = 'district-board' AND payload LIKE '%unreadable-item-marker%'"),
                    l -> !l.isEmpty());
            assertThat(quarantined.get(0).get("reason").toString()).contains("item without an id");
            await().atMost(WAIT).until(() -> "c-7001".equals(cursors.get("district-board", "http").runResume()));

            assertThat(camel.getRoute("district-board-poll")).as("the Kamelet's polling route").isNotNull();
            LeaderOnlyRoutes policy = new LeaderOnlyRoutes(new CoordinatorClusterService(ClusterMembers.parse("a", "a@127.0.0.1:7800")),
                    ClusterProperties.DEFAULT_ROUTES);
            assertThat(policy.createRoutePolicy(camel, "district-board-poll",
                    ((ModelCamelContext) camel).getRouteDefinition("district-board-poll")))
                    .as("with hub.cluster.enabled the poller runs on the leader only").isInstanceOf(ClusteredRoutePolicy.class);
        } finally {
            Files.deleteIfExists(binding);
            Files.deleteIfExists(mapping);
            Files.deleteIfExists(route);
        }
        await().atMost(WAIT).until(() -> camel.getRoute("district-board-poll") == null && camel.getRoute("district-board-reply") == null);
    }
}
