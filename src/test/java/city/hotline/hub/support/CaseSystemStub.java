package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The case system's ticket API as WireMock: POST /api/tickets with an Idempotency-Key. */
public final class CaseSystemStub {
    private CaseSystemStub() {
    }

    public static void acceptEverything(WireMockServer server) {
        answer(server, 201);
    }

    public static void answer(WireMockServer server, int status) {
        server.stubFor(post(urlEqualTo("/api/tickets")).willReturn(answerWith(status)));
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/tickets/[^/]+")).willReturn(answerWith(status)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answerWith(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(status < 300 ? "{\"accepted\":true}" : "{\"error\":\"stub answered " + status + "\"}");
    }

    /** Updates of a ticket: PUT /api/tickets/{ticketId}, in the order they arrived. */
    public static List<LoggedRequest> updatesReceived(WireMockServer server, String ticketId) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/api/tickets/" + ticketId)));
    }

    public static List<LoggedRequest> ticketsReceived(WireMockServer server, String ticketId) {
        return server.findAll(postRequestedFor(urlEqualTo("/api/tickets")).withHeader("Idempotency-Key", equalTo(ticketId)));
    }
}
