package city.hotline.hub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.FileSystemResource;

/** The console's mapping and formatting rules, without a hub. */
class ConsoleUnitsTest {

    private final QiyouWuxing table = new QiyouWuxing(read());

    private static List<QiyouWuxing.Row> read() {
        try {
            return QiyouWuxing.read(new FileSystemResource("mappings/qiyou-wuxing.csv"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCategoryMapsToItsQiyouAndWuxingByPathOrCodePrefixSpecificRowsFirst() {
        assertThat(table.of("0301", List.of("教育", "学前教育"))).isEqualTo(new QiyouWuxing.Dimensions("幼有所育", "便利性"));
        assertThat(table.of("0302", List.of("教育", "义务教育"))).isEqualTo(new QiyouWuxing.Dimensions("学有所教", "公正性"));
        // a row without a 七有 value still gives its 五性
        assertThat(table.of("0901", List.of("交通", "停车"))).isEqualTo(new QiyouWuxing.Dimensions("未归类", "便利性"));
        assertThat(table.of(null, List.of())).isEqualTo(new QiyouWuxing.Dimensions("未归类", "未归类"));
        // the key also matches as a prefix of the category code
        QiyouWuxing byCode = new QiyouWuxing(List.of(new QiyouWuxing.Row("12", "老有所养", "安全性")));
        assertThat(byCode.of("1203", List.of())).isEqualTo(new QiyouWuxing.Dimensions("老有所养", "安全性"));
        assertThat(byCode.of("2112", List.of())).isEqualTo(new QiyouWuxing.Dimensions("未归类", "未归类"));
    }

    @Test
    void anOperatorSeesPhonesCutToTheirLastFourDigitsAndMaskedInText() {
        Viewer operator = new Viewer("operator", false);
        assertThat(operator.phone("+8613812345678")).isEqualTo("+86138****5678");
        assertThat(operator.phone("13812345678")).isEqualTo("138****5678");
        assertThat(operator.phone("+441632960961")).isEqualTo("+4416****0961");
        assertThat(operator.phone("123")).isEqualTo("****");
        assertThat(operator.text("请回电13812345678")).isEqualTo("请回电138****5678");
        Viewer admin = new Viewer("admin", true);
        assertThat(admin.phone("+8613812345678")).isEqualTo("+8613812345678");
        assertThat(admin.text("请回电13812345678")).isEqualTo("请回电13812345678");
    }

    @Test
    void aCsvCellThatASpreadsheetWouldTakeForAFormulaIsWrittenAsText() {
        assertThat(ReportExport.safe("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(ReportExport.safe("+1")).isEqualTo("'+1");
        assertThat(ReportExport.safe("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(ReportExport.safe("-1+1")).isEqualTo("'-1+1");
        assertThat(ReportExport.safe("路灯不亮")).isEqualTo("路灯不亮");
        assertThat(ReportExport.safe(new Report.Rate(2, 3))).isEqualTo("66.7%");
        assertThat(ReportExport.safe(new Report.Rate(0, 0))).isEqualTo("-");
    }

    @Test
    void periodsAreTheDayTheMondayToSundayWeekAndTheCalendarMonthOfTheDate() {
        LocalDate thursday = LocalDate.of(2026, 10, 1);
        assertThat(ReportService.range(Report.Period.DAILY, thursday)).containsExactly(thursday, thursday.plusDays(1));
        assertThat(ReportService.range(Report.Period.WEEKLY, thursday)).containsExactly(LocalDate.of(2026, 9, 28), LocalDate.of(2026, 10, 5));
        assertThat(ReportService.range(Report.Period.MONTHLY, thursday)).containsExactly(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1));
    }
}
