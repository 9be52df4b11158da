# Varnish in front of Newsdesk's gunicorn: anonymous answers are kept until the
# app purges their cache tags (xkey), never what is personal.
#
# Debian: apt-get install varnish varnish-modules (the xkey vmod).
# The app purges with NEWSDESK_EDGE_BACKEND=varnish and
# NEWSDESK_VARNISH_URLS=http://<this varnish>/ (docs/caching.md).
vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Down means no probe answered for a minute, not busy: a probe queued
    # behind readers on an overloaded app must not turn every miss into a
    # 503 (healthy while any of the last 6 probes answered within 8 s).
    .probe = {
        .url = "/robots.txt";
        .interval = 10s;
        .timeout = 8s;
        .window = 6;
        .threshold = 1;
        .initial = 1;
    }
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.x-purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Name the tags in an xkey-purge header"));
        }
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, staff previews and share links are never cached.
    if (req.url ~ "^/admin/" || req.url ~ "[?&]preview=") {
        return (pass);
    }
    # Marketing and tracking parameters never change an answer (the app
    # ignores the same list), and parameter order does not either.
    set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z0-9_]*|fbclid|gclid|gclsrc|gbraid|wbraid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|twclid|ttclid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref|ref_src|ref_url|s_kwcid|vero_id|oly_anon_id|oly_enc_id)=[^&]*", "\1");
    set req.url = regsuball(req.url, "[?&]+&", "?");
    set req.url = regsub(req.url, "\?&+", "?");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);
    # Signed-in staff (session cookie) and API tokens go straight to the app.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Other cookies (consent, analytics) do not change what readers get.
    unset req.http.Cookie;
    # The API varies on Accept: keep one value per format it serves.
    if (req.url ~ "^/api/") {
        if (req.http.Accept ~ "text/csv") {
            set req.http.Accept = "text/csv";
        } elsif (req.http.Accept ~ "application/geo\+json") {
            set req.http.Accept = "application/geo+json";
        } elsif (req.http.Accept ~ "text/html") {
            set req.http.Accept = "text/html";
        } else {
            set req.http.Accept = "application/json";
        }
        # The API is written in one language whatever the reader's.
        unset req.http.Accept-Language;
    } else {
        unset req.http.Accept;
        # Pages are written in the first of the site's languages the reader
        # asks for, else English (newsdesk.middleware.reader_language): keep one
        # copy per site language, not one per distinct header a browser sends.
        if (req.http.Accept-Language ~ "(?i)(^|,)\s*(en|ar|fr|es|de|tr)(-[a-z0-9]+)*\s*(;|,|$)") {
            set req.http.Accept-Language = std.tolower(regsub(req.http.Accept-Language,
                "(?i)^.*?(?:^|,)\s*(en|ar|fr|es|de|tr)(?:-[a-z0-9]+)*\s*(?:[;,].*)?$", "\1"));
        } else {
            set req.http.Accept-Language = "en";
        }
    }
    # Serve stale while revalidating for a minute; much longer when the app is down.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # A failing app (a 503 while its database restarts) never replaces a
    # stored copy: a background refresh gives up and the stale copy stays.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # xkey indexes objects by the tags in its own header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only complete public answers are kept: no errors, nothing personal,
    # nothing that sets a cookie.
    if ((beresp.status != 200 && beresp.status != 301 && beresp.status != 410)
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || !beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # The app purges every change by tag (and publish_due each scheduled
    # release), so a tagged answer is kept until purged, a week at most,
    # rather than its s-maxage, which is for shared caches nobody purges: the
    # archive's long tail stays cached between its rare reads.
    if (beresp.http.Surrogate-Key) {
        set beresp.ttl = 7d;
    }
    # stale-if-error: keep serving for a day if the app fails; keep expired
    # copies a day more so a refetch can be a conditional GET (a 304).
    set beresp.grace = 24h;
    set beresp.keep = 24h;
    # Stored compressed, about a fifth of the size, so the whole archive fits
    # in memory (`-s malloc,…`: see docs/caching.md); readers that do not
    # accept gzip get it unpacked.
    if (beresp.http.Content-Type ~ "(?i)^(text/|application/([a-z+]*json|[a-z+]*xml|javascript))") {
        set beresp.do_gzip = true;
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
