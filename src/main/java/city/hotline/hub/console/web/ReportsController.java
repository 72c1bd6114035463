package city.hotline.hub.console.web;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** {@code /console/reports?period=daily|weekly|monthly&date=YYYY-MM-DD&format=html|csv|xlsx}. */
@Controller
public class ReportsController {

    private final ReportService reports;

    public ReportsController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping("/console/reports")
    Object report(@RequestParam(defaultValue = "daily") String period,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                  @RequestParam(defaultValue = "html") String format, Authentication auth, Model model) {
        Report.Period p = switch (period.toLowerCase(Locale.ROOT)) {
            case "daily" -> Report.Period.DAILY;
            case "weekly" -> Report.Period.WEEKLY;
            case "monthly" -> Report.Period.MONTHLY;
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "period is daily, weekly or monthly");
        };
        LocalDate d = date == null ? LocalDate.now(ConsoleQueries.ZONE) : date;
        Viewer viewer = Viewer.of(auth);
        Report report = reports.build(p, d, viewer::text);
        String file = "hotline-" + p.name().toLowerCase(Locale.ROOT) + "-" + report.from();
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> download(ReportExport.csv(report), file + ".csv", new MediaType("text", "csv", StandardCharsets.UTF_8));
            case "xlsx" -> download(ReportExport.xlsx(report), file + ".xlsx",
                    MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
            case "html" -> {
                ModelAndView page = new ModelAndView("console/reports", model.asMap());
                page.addObject("report", report);
                page.addObject("period", p.name().toLowerCase(Locale.ROOT));
                page.addObject("date", d);
                yield page;
            }
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "format is html, csv or xlsx");
        };
    }

    private static ResponseEntity<byte[]> download(byte[] body, String file, MediaType type) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file).build().toString())
                .body(body);
    }
}
