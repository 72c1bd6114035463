package city.hotline.hub.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class WorkingCalendarTest {

    private final WorkingCalendar calendar = new WorkingCalendar("classpath*:mappings/calendar/*.csv");

    @Test
    void fiveWorkingDaysOverNationalDayLandOnTheThirteenthOfOctober() {
        // assigned on Wednesday 30 September: 8, 9, 10 (Saturday make-up day), 12, 13 October
        Instant assigned = OffsetDateTime.parse("2026-09-30T10:00:00+08:00").toInstant();
        assertThat(calendar.addWorkingDays(assigned, 5))
                .isEqualTo(OffsetDateTime.parse("2026-10-13T23:59:59+08:00").toInstant());
    }

    @Test
    void makeUpSaturdaysWorkAndWeekdayHolidaysDoNot() {
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-10"))).as("Saturday 调休").isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-09-20"))).as("Sunday 调休").isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-08"))).as("Thursday after the holiday").isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-05"))).as("Monday in the holiday").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-02-23"))).as("Monday, last day of 春节").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-03-07"))).as("an ordinary Saturday").isFalse();
    }

    @Test
    void theDayOfAssignmentInShanghaiDoesNotCount() {
        // 23:30 UTC on Friday 25 September is already Saturday 26 September in Shanghai (中秋 holiday)
        Instant late = Instant.parse("2026-09-24T23:30:00Z");
        assertThat(calendar.addWorkingDays(late, 1)).isEqualTo(OffsetDateTime.parse("2026-09-28T23:59:59+08:00").toInstant());
        assertThat(calendar.workingDaysBetween(late, OffsetDateTime.parse("2026-09-30T12:00:00+08:00").toInstant())).isEqualTo(3);
    }

    @Test
    void aBadLineNamesTheFileTheLineAndTheProblem() {
        assertThatThrownBy(() -> WorkingCalendar.of("cn-2027.csv", "date,kind,name\n2027-01-01,holyday,元旦\n"))
                .hasMessageContaining("cn-2027.csv line 2").hasMessageContaining("holiday or workday");
        assertThatThrownBy(() -> WorkingCalendar.of("x.csv", "2027-13-01,holiday,x\n"))
                .hasMessageContaining("x.csv line 1").hasMessageContaining("not a date");
        assertThatThrownBy(() -> WorkingCalendar.of("x.csv", "2027-01-01,holiday\n2027-01-01,workday\n"))
                .hasMessageContaining("both");
    }

    @Test
    void aYearNoFileCoversFollowsTheUsualWeek() {
        assertThat(calendar.coveredYears()).contains(2026);
        assertThat(calendar.isWorkingDay(LocalDate.parse("2030-10-01"))).as("a Tuesday in an uncovered year").isTrue();
    }
}
