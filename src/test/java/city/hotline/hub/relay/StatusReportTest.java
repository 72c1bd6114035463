package city.hotline.hub.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void aReportIsReadWithItsTimeInUtc() {
        StatusReport r = StatusReport.parse("T1", "{\"status\":\"REPLIED\",\"reply\":\"已处理\",\"handlingUnit\":\"A1区\",\"at\":\"2026-11-28T10:00:00+08:00\",\"satisfaction\":\"SATISFIED\"}");
        assertThat(r.ticketId()).isEqualTo("T1");
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-28T02:00:00Z"));
        assertThat(r.satisfaction()).isEqualTo("SATISFIED");
    }

    @Test
    void theTicketIdComesFromTheBodyWhenThePathHasNone() {
        assertThat(StatusReport.parse(null, "{\"ticketId\":\"T9\",\"status\":\"CLOSED\",\"at\":\"2026-11-28T02:00:00Z\"}").ticketId()).isEqualTo("T9");
    }

    @Test
    void badReportsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> StatusReport.parse("T1", "{\"status\":\"DONE\",\"at\":\"2026-11-28T02:00:00Z\"}")).hasMessageContaining("status must be one of");
        assertThatThrownBy(() -> StatusReport.parse("T1", "{\"status\":\"CLOSED\"}")).hasMessageContaining("at is required");
        assertThatThrownBy(() -> StatusReport.parse("T1", "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T02:00:00Z\",\"satisfaction\":\"OK\"}")).hasMessageContaining("satisfaction must be one of");
        assertThatThrownBy(() -> StatusReport.parse("T1", "{\"status\":7,\"at\":\"2026-11-28T02:00:00Z\"}")).hasMessageContaining("status must be a string");
        assertThatThrownBy(() -> StatusReport.parse(null, "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T02:00:00Z\"}")).hasMessageContaining("ticketId is required");
    }

    @Test
    void identicalReportsShareAFingerprintAndDifferentOnesDoNot() {
        String a = "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T02:00:00Z\",\"reply\":\"x\"}";
        String b = "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T10:00:00+08:00\",\"reply\":\"x\"}";
        String c = "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T02:00:00Z\",\"reply\":\"y\"}";
        assertThat(StatusReport.parse("T", a).fingerprint()).isEqualTo(StatusReport.parse("T", b).fingerprint());
        assertThat(StatusReport.parse("T", a).fingerprint()).isNotEqualTo(StatusReport.parse("T", c).fingerprint());
    }
}
