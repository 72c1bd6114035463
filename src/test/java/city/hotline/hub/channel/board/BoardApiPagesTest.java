package city.hotline.hub.channel.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Json;
import org.junit.jupiter.api.Test;

class BoardApiPagesTest {

    @Test
    void aPageOfThreadsIsReadNewestFirstAndPointsAtItsLastTidForTheNextPage() throws Exception {
        String body = """
                {"result":"success","resultDesc":"","responseData":[
                 {"tid":19302878,"fid":146,"subject":"小区噪音扰民","content":"\\t\\t夜间施工","nickName":"网友A","dateline":1714036504,"stateInfo":"办理中"},
                 {"tid":19302870,"subject":"路灯不亮","content":"已经一个月","dateline":1714036000,"stateInfo":"已办理"}]}""";

        PolledPage page = BoardApiPages.parse("146", 200, body);

        assertThat(page.items()).extracting(PolledPage.Item::id).containsExactly(19302878L, 19302870L);
        assertThat(page.items().get(0).itemId()).isEqualTo("19302878");
        assertThat(page.items().get(0).time()).isEqualTo(Instant.ofEpochSecond(1714036504));
        assertThat(page.next()).isEqualTo("19302870");
        assertThat(Json.read(page.items().get(1).payload().load()).get("fid").asText()).as("fid filled in from the request").isEqualTo("146");
    }

    @Test
    void anEmptyListMeansCaughtUp() throws Exception {
        PolledPage page = BoardApiPages.parse("146", 200, "{\"result\":\"success\",\"responseData\":[]}");

        assertThat(page.items()).isEmpty();
        assertThat(page.next()).isNull();
    }

    @Test
    void aDatelineInMillisecondsIsRecognised() throws Exception {
        PolledPage page = BoardApiPages.parse("1", 200,
                "{\"result\":\"success\",\"responseData\":[{\"tid\":5,\"subject\":\"s\",\"dateline\":1714036504000}]}");

        assertThat(page.items().get(0).time()).isEqualTo(Instant.ofEpochSecond(1714036504));
    }

    @Test
    void aThreadWithoutTidIsRejectedWithItsRawTextAndTheOthersKept() throws Exception {
        PolledPage page = BoardApiPages.parse("1", 200, """
                {"result":"success","responseData":[{"tid":7,"subject":"好"},{"subject":"没有编号"},{"tid":"abc","subject":"x"}]}""");

        assertThat(page.items()).extracting(PolledPage.Item::id).containsExactly(7L);
        assertThat(page.rejected()).hasSize(2);
        assertThat(page.rejected().get(0).raw()).contains("没有编号");
        assertThat(page.rejected().get(0).reason()).contains("tid");
    }

    @Test
    void resultOtherThanSuccessIsABackOffWithTheBoardsMessage() {
        assertBackOff(200, "{\"result\":\"fail\",\"resultDesc\":\"访问过于频繁\"}", "访问过于频繁");
    }

    @Test
    void firewallAnswersEmptyBodiesAndHtmlAreBackOffs() {
        assertBackOff(403, "<html>blocked</html>", "403");
        assertBackOff(429, "", "429");
        assertBackOff(200, "", "empty body");
        assertBackOff(200, "<html><body>维护中</body></html>", "not JSON");
        assertBackOff(200, "{\"code\":\"SN0006\",\"msg\":\"数据格式错误\"}", "no result field");
    }

    @Test
    void aPageWhoseThreadsAreAllRejectedPagesOnFromTheirTidOrFailsWhenNoneHasOne() throws Exception {
        PolledPage page = BoardApiPages.parse("146", 200,
                "{\"result\":\"success\",\"responseData\":[{\"tid\":19302875,\"dateline\":\"yesterday\"},{\"tid\":19302871,\"dateline\":\"x\"}]}");
        assertThat(page.items()).isEmpty();
        assertThat(page.rejected()).hasSize(2);
        assertThat(page.next()).as("older threads may follow").isEqualTo("19302871");

        assertBackOff(200, "{\"result\":\"success\",\"responseData\":[{\"subject\":\"no tid\"}]}", "none with a tid");
    }

    private static void assertBackOff(int status, String body, String reason) {
        assertThatThrownBy(() -> BoardApiPages.parse("1", status, body)).isInstanceOfSatisfying(PollFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(PollFailure.Kind.BACKOFF);
            assertThat(f.getMessage()).contains(reason);
        });
    }
}
