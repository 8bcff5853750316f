package org.sehathub.server.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The analysts' dashboard at {@code /dashboard/} (docs/analytics.md, "Dashboard"): a static page
 * ({@code static/dashboard/}) that signs its analyst in on this server (client {@code
 * sehat-dashboard}, authorization code with PKCE) and draws the indicators of {@code /analytics}.
 */
@Controller
class DashboardController {

    @GetMapping("/dashboard")
    String withSlash() {
        return "redirect:/dashboard/";
    }

    @GetMapping("/dashboard/")
    String page() {
        return "forward:/dashboard/index.html";
    }
}
