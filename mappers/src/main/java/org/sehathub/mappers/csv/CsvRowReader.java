package org.sehathub.mappers.csv;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.GenderNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * Reads the typed values of one row and collects its issues, located as {@code line 7, column
 * date_of_birth}. A problem that stops the row from being mapped is an error; one that only loses
 * or flags a detail is a warning.
 */
final class CsvRowReader {

    private final CsvRow row;
    private final CsvLayout layout;
    private final List<MappingIssue> issues = new ArrayList<>();

    CsvRowReader(CsvRow row, CsvLayout layout) {
        this.row = row;
        this.layout = layout;
        checkRequiredAndFormulas();
    }

    int line() {
        return row.line();
    }

    List<MappingIssue> issues() {
        return issues;
    }

    boolean hasErrors() {
        return issues.stream().anyMatch(i -> i.severity() == MappingIssue.Severity.ERROR);
    }

    void error(String column, String reason) {
        issues.add(MappingIssue.atCell(MappingIssue.Severity.ERROR, row.line(), column, reason));
    }

    void warning(String column, String reason) {
        issues.add(MappingIssue.atCell(MappingIssue.Severity.WARNING, row.line(), column, reason));
    }

    void rowError(String reason) {
        issues.add(MappingIssue.atCell(MappingIssue.Severity.ERROR, row.line(), null, reason));
    }

    boolean has(String column) {
        return row.has(column) && !refused(column);
    }

    /** The stripped cell, empty when absent or refused by the formula rule. */
    String text(String column) {
        return refused(column) ? "" : row.get(column);
    }

    Optional<String> optionalText(String column) {
        String value = text(column);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    Optional<Cnic> cnic(String column) {
        return parse(column, Cnic::parse);
    }

    Optional<AdministrativeGender> sex(String column) {
        return parse(column, GenderNormalizer::parse);
    }

    Optional<DateType> birthDate(String column, Clock clock) {
        return parse(column, raw -> DateNormalizer.toBirthDateType(raw, clock));
    }

    /** A date that is not after today in Pakistan. */
    Optional<DateTimeType> pastDate(String column, Clock clock) {
        return parse(
                        column,
                        raw -> new DateTimeType(DateNormalizer.parseDate(raw).toString()))
                .filter(date -> notInFuture(column, date, clock));
    }

    /** A date or date-time that is not after today in Pakistan, at the precision written. */
    Optional<DateTimeType> pastDateTime(String column, Clock clock) {
        return parse(column, DateNormalizer::toDateTimeType).filter(date -> notInFuture(column, date, clock));
    }

    private boolean notInFuture(String column, DateTimeType date, Clock clock) {
        if (DateNormalizer.isAfterToday(date, clock)) {
            error(column, "the date is in the future");
            return false;
        }
        return true;
    }

    /** A whole number of 0 or more. */
    Optional<Integer> nonNegativeInteger(String column) {
        return parse(column, raw -> {
            try {
                int value = new BigDecimal(raw).intValueExact();
                if (value < 0) {
                    throw new NormalizationException("must be 0 or more");
                }
                return value;
            } catch (NumberFormatException | ArithmeticException e) {
                throw new NormalizationException("must be a whole number such as 0, 1, 2 or 3");
            }
        });
    }

    /**
     * Parses a present cell with a normalization rule; a refusal becomes an error on that column
     * (the row is then rejected) and the result is empty.
     */
    <T> Optional<T> parse(String column, Function<String, T> rule) {
        if (!has(column)) {
            return Optional.empty();
        }
        try {
            return Optional.of(rule.apply(row.get(column)));
        } catch (NormalizationException e) {
            error(column, e.getReason());
            return Optional.empty();
        }
    }

    private boolean refused(String column) {
        CsvColumn definition = layout.column(column).orElseThrow();
        return FormulaInjectionGuard.check(definition.kind(), row.raw(column)).isPresent();
    }

    private void checkRequiredAndFormulas() {
        for (CsvColumn column : layout.columns()) {
            String raw = row.raw(column.name());
            FormulaInjectionGuard.check(column.kind(), raw).ifPresent(reason -> error(column.name(), reason));
            if (column.required() && row.get(column.name()).isEmpty()) {
                error(column.name(), "required value is empty");
            }
        }
    }
}
