package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Makes every AuditEvent search page by offset ({@code _offset}, {@code _count}), with links that
 * repeat the search: the trail is not in HAPI's search cache, which pages everything else. HAPI
 * pages by offset only when the request names one, so the first page is given {@code _offset=0},
 * and {@code _count} is set to the page size used (default, or capped) so that HAPI's next link
 * and {@link AuditEventProvider}'s page agree.
 */
public class AuditSearchPaging {

    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 1000;

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void pageByOffset(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || !"AuditEvent".equals(request.getResourceName())) {
            return;
        }
        if (!request.getParameters().containsKey(Constants.PARAM_OFFSET)) {
            request.addParameter(Constants.PARAM_OFFSET, new String[] {"0"});
        }
        int count = DEFAULT_COUNT;
        String[] asked = request.getParameters().get(Constants.PARAM_COUNT);
        if (asked != null && asked.length > 0) {
            try {
                count = Math.max(1, Math.min(MAX_COUNT, Integer.parseInt(asked[0].trim())));
            } catch (NumberFormatException e) {
                return; // HAPI answers 400 for it.
            }
        }
        request.addParameter(Constants.PARAM_COUNT, new String[] {Integer.toString(count)});
    }
}
