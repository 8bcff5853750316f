package org.sehathub.mappers.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.hl7.fhir.r4.model.ContactPoint;

/**
 * Phone numbers to E.164 ({@code +923001234567}) with libphonenumber; a number without a country
 * code is read as Pakistani ({@code 0300-1234567}, {@code 042 35761999}).
 */
public final class PhoneNormalizer {

    /** Numbers without a country code are Pakistani. */
    public static final String DEFAULT_REGION = "PK";

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNormalizer() {}

    /**
     * The number in E.164.
     *
     * @throws NormalizationException when it is empty, cannot be parsed or is not a valid number
     */
    public static String toE164(String raw) {
        return UTIL.format(parse(raw), PhoneNumberFormat.E164);
    }

    /** A phone ContactPoint in E.164; use {@code mobile} when the number is a mobile number. */
    public static ContactPoint toContactPoint(String raw) {
        PhoneNumber number = parse(raw);
        ContactPoint contactPoint = new ContactPoint()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue(UTIL.format(number, PhoneNumberFormat.E164));
        PhoneNumberType type = UTIL.getNumberType(number);
        if (type == PhoneNumberType.MOBILE) {
            contactPoint.setUse(ContactPoint.ContactPointUse.MOBILE);
        }
        return contactPoint;
    }

    private static PhoneNumber parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new NormalizationException("phone number is empty");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(raw.strip(), DEFAULT_REGION);
        } catch (NumberParseException e) {
            // The number itself stays out of the reason: reasons end up in logs and reports.
            throw new NormalizationException("not a phone number (" + e.getErrorType() + ")", e);
        }
        if (!UTIL.isValidNumber(number)) {
            throw new NormalizationException(
                    "not a valid phone number for its country (wrong length or unknown prefix)");
        }
        return number;
    }
}
