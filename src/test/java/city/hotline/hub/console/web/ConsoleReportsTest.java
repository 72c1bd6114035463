package city.hotline.hub.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13 point 5 and 6: the reports' figures, from five tickets the test creates on a day no other
 * test uses (2025-03-10, a Monday), with known districts, categories, statuses and ratings. Location
 * and category are written into the tickets as the routing stage will (issue on routing); two MERGED
 * events stand in for the near-duplicate merging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleReportsTest extends HubIntegrationTest {

    static final Instant CREATED = Instant.parse("2025-03-10T02:00:00Z"); // 10:00 in Asia/Shanghai

    @Autowired
    JdbcTemplate jdbc;

    final List<String> tickets = new ArrayList<>();

    @BeforeAll
    void fiveTicketsOnTheTenthOfMarch() {
        // @BeforeEach of the base class has not run yet: the case system takes every ticket
        CASE_SYSTEM.resetAll();
        city.hotline.hub.support.CaseSystemStub.acceptEverything(CASE_SYSTEM);
        ticket("朝阳区", "望京街道", "0301", "[\"教育\",\"学前教育\"]", "幼儿园收费问题 请回电 13700001111");
        ticket("朝阳区", "望京街道", "0502", "[\"住房\",\"物业\"]", "物业不作为");
        ticket("海淀区", "中关村街道", "0301", "[\"教育\",\"学前教育\"]", "托育机构");
        ticket("海淀区", "中关村街道", "0901", "[\"交通\",\"停车\"]", "乱停车");
        ticket("海淀区", "学院路街道", "0502", "[\"住房\",\"物业\"]", "电梯故障");
        // responded within 24 h: 1, 3, 5; late: 2 (30 h); never: 4
        status(0, "ACCEPTED", 1, null);
        status(0, "CLOSED", 3, "VERY_SATISFIED");
        status(1, "ACCEPTED", 30, null);
        status(1, "CLOSED", 40, "DISSATISFIED");
        status(2, "ACCEPTED", 2, null);
        status(2, "REPLIED", 5, null);
        status(4, "ACCEPTED", 1, null);
        status(4, "EVALUATED", 6, "SATISFIED");
        for (int i = 0; i < 2; i++) {
            jdbc.update("INSERT INTO ticket_event (ticket_id, kind, detail) VALUES (?, 'MERGED', ?::jsonb)", tickets.get(0),
                    "{\"merged\":\"T-other-" + i + "\",\"score\":0.9" + i + "}");
        }
    }

    @Test
    void theDailyReportCountsTheTicketsOfTheDayAndTheirThreeRates() {
        String html = ConsoleSession.admin(port).page("/console/reports?period=daily&date=2025-03-10");
        assertThat(html).contains("12345热线日通报 2025-03-10");
        assertThat(section(html, "channel")).contains(row("webform", "5"));
        assertThat(section(html, "district")).contains(row("海淀区", "3"), row("朝阳区", "2"));
        assertThat(section(html, "street")).contains(row("海淀区", "中关村街道", "2"), row("朝阳区", "望京街道", "2"), row("海淀区", "学院路街道", "1"));
        assertThat(section(html, "category")).contains(row("0301", "教育 / 学前教育", "2"), row("0502", "住房 / 物业", "2"), row("0901", "交通 / 停车", "1"));
        assertThat(section(html, "qiyou")).contains(row("幼有所育", "2"), row("住有所居", "2"), row("未归类", "1"));
        assertThat(section(html, "wuxing")).contains(row("便利性", "3"), row("宜居性", "2"));
        // 响应率 3/5, 解决率 3/5 (CLOSED, CLOSED, EVALUATED), 满意率 2 of 3 rated
        assertThat(section(html, "summary")).contains(row("全部", "5", "3", "60.0%", "3", "60.0%", "3", "2", "66.7%"));
        assertThat(section(html, "rates-district")).contains(row("朝阳区", "2", "1", "50.0%", "2", "100.0%", "2", "1", "50.0%"),
                row("海淀区", "3", "2", "66.7%", "1", "33.3%", "1", "1", "100.0%"));
        assertThat(section(html, "rates-backend")).contains(row("case-system", "5", "3", "60.0%", "3", "60.0%", "3", "2", "66.7%"));
        assertThat(section(html, "rates-channel")).contains(row("webform", "5", "3", "60.0%", "3", "60.0%", "3", "2", "66.7%"));
        assertThat(section(html, "clusters")).contains(tickets.get(0), "<td>3</td>");
    }

    @Test
    void theWeeklyAndMonthlyReportsCoverTheWeekAndMonthOfTheDate() {
        ConsoleSession admin = ConsoleSession.admin(port);
        String weekly = admin.page("/console/reports?period=weekly&date=2025-03-16");
        assertThat(weekly).contains("周汇总 2025-03-10 至 2025-03-16");
        assertThat(section(weekly, "summary")).contains(row("全部", "5", "3", "60.0%", "3", "60.0%", "3", "2", "66.7%"));
        String monthly = admin.page("/console/reports?period=monthly&date=2025-03-31");
        assertThat(monthly).contains("月分析 2025-03-01 至 2025-03-31");
        assertThat(section(monthly, "channel")).contains(row("webform", "5"));
        String otherDay = admin.page("/console/reports?period=daily&date=2025-03-11");
        assertThat(section(otherDay, "summary")).contains(row("全部", "0", "0", "-", "0", "-", "0", "0", "-"));
    }

    @Test
    void anOperatorSeesReportTitlesWithMaskedPhones() {
        String html = ConsoleSession.operator(port).page("/console/reports?period=daily&date=2025-03-10");
        assertThat(section(html, "clusters")).contains("137****1111");
        assertThat(html).doesNotContain("13700001111");
    }

    @Test
    void theReportDownloadsAsCsvAndXlsxWithChineseHeaders() throws Exception {
        ConsoleSession admin = ConsoleSession.admin(port);
        HttpResponse<byte[]> csv = admin.bytes("/console/reports?period=daily&date=2025-03-10&format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment", "hotline-daily-2025-03-10.csv");
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF").contains("渠道,工单数\nwebform,5\n", "区县,工单数\n海淀区,3\n朝阳区,2\n",
                "范围,工单数,按时响应,响应率,办结,解决率,已评价,满意,满意率\n全部,5,3,60.0%,3,60.0%,3,2,66.7%\n");

        HttpResponse<byte[]> xlsx = admin.bytes("/console/reports?period=daily&date=2025-03-10&format=xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet summary = wb.getSheet("总体三率");
            assertThat(summary.getRow(1).getCell(3).getStringCellValue()).isEqualTo("响应率");
            assertThat(summary.getRow(2).getCell(0).getStringCellValue()).isEqualTo("全部");
            assertThat(summary.getRow(2).getCell(1).getNumericCellValue()).isEqualTo(5.0);
            assertThat(summary.getRow(2).getCell(3).getNumericCellValue()).isEqualTo(0.6);
            assertThat(summary.getRow(2).getCell(8).getNumericCellValue()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            Sheet district = wb.getSheet("按区县");
            assertThat(district.getRow(1).getCell(0).getStringCellValue()).isEqualTo("区县");
            assertThat(district.getRow(2).getCell(0).getStringCellValue()).isEqualTo("海淀区");
            assertThat(wb.getSheet("按七有")).isNotNull();
            assertThat(wb.getSheet("按五性")).isNotNull();
        }
    }

    private void ticket(String district, String street, String code, String path, String title) {
        String externalId = "report-" + UUID.randomUUID();
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"title\":" + Json.write(title)
                + ",\"content\":\"报表测试\"}").statusCode()).isEqualTo(202);
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList("""
                SELECT t.ticket_id FROM ticket t JOIN ticket_origin o ON o.ticket_id = t.ticket_id
                WHERE o.channel_item_id = ? AND t.status = 'FORWARDED'""", String.class, externalId), l -> l.size() == 1).get(0);
        jdbc.update("UPDATE ticket SET created_at = ?, body = body || ?::jsonb WHERE ticket_id = ?", java.sql.Timestamp.from(CREATED),
                "{\"location\":{\"district\":\"" + district + "\",\"street\":\"" + street + "\"},\"category\":{\"code\":\"" + code
                        + "\",\"path\":" + path + "}}", ticketId);
        tickets.add(ticketId);
    }

    private void status(int ticket, String status, int hoursAfterCreation, String satisfaction) {
        String ticketId = tickets.get(ticket);
        String body = "{\"status\":\"" + status + "\",\"at\":\"" + CREATED.plus(Duration.ofHours(hoursAfterCreation)) + "\""
                + (satisfaction == null ? "" : ",\"satisfaction\":\"" + satisfaction + "\"") + "}";
        HttpResponse<String> r = postStatus(ticketId, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.read(r.body()).get("outcome").asText()).isEqualTo("APPLIED");
    }

    private static String section(String html, String id) {
        int start = html.indexOf("id=\"section-" + id + "\"");
        assertThat(start).as("section " + id).isGreaterThan(0);
        int end = html.indexOf("</section>", start);
        return html.substring(start, end).replaceAll(">\\s+<", "><");
    }

    private static String row(String... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (String c : cells) {
            b.append("<td>").append(c).append("</td>");
        }
        return b.append("</tr>").toString();
    }
}
