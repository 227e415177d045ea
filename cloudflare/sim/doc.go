package sim

// The demo dataset, for README examples and golden tests. Dates are relative
// to Options.Now at New (fix Now for byte-stable answers). All indicators are
// documentation ranges (RFC 5737, RFC 3849), documentation ASNs (RFC 5398)
// beside the real AS13335, and .example/.test names.
//
// IPs (IP overview; passive DNS for IPv4):
//
//	203.0.113.66     IPRiskyC2     AS64500 bulletproof hoster (SC); C2 + Malware; hosts
//	                               cdn-update.test, invoice-download.example, the DGA domain
//	                               and one hostile hostname
//	203.0.113.80     IPPhishing    AS64500; Phishing; hosts login-micros0ft-support.example
//	192.0.2.10       IPCleanCF     AS13335 Cloudflare; clean; hosts acme-corp.example
//	198.51.100.7     IPParkingFarm AS64502 parking; 275 hostnames in the default 30-day
//	                               window (290 with an older start): passive DNS paging
//	198.51.100.9     IPSharedHost  AS64502; a shared web host with 5,000 hostnames
//	                               (SharedHostCount), all in the default window, known
//	                               only to passive DNS
//	198.51.100.150   IPResidential AS64501 ISP; clean; no hostnames (empty passive DNS)
//	203.0.113.200    IPAcmeEgress  AS64503 the demo company's office egress
//	2001:db8:bad::66 IPv6Risky     AS64500; C2 over IPv6
//	2001:db8:cf::10  IPv6Clean     AS13335; acme-corp.example over IPv6
//	anything else                  clean, attributed to the ASN whose subnet holds it
//	                               (104.16.0.0/13 → 13335), else AS64501
//
// Domains (overview, bulk, WHOIS, category history):
//
//	login-micros0ft-support.example  Phishing (131), risk 0.98, registered 12 days ago
//	cdn-update.test                  C2 (83) + Malware (80); WHOIS registrant holds terminal
//	                                 escapes, registrant_org a U+202E override
//	invoice-download.example         Malware (80)
//	qzvkhwyxbtrmjl.test              DGA + Malware, suspected_malware_family "Necurs", 6 days old
//	brand-new-shop.example           New Domains (169), WHOIS created 3 days before Now
//	parked-domain-4sale.example      Parked & For Sale Domains, on the parking farm
//	acme-corp.example                clean, Business + Technology, popularity_rank 48213,
//	                                 application "Acme Corp", DNSSEC
//	popular-news.example             clean, News & Media, popularity_rank 312
//	<sub>.<known domain>             inherits categories (inherited_from), WHOIS of the parent
//	unknown names                    clean, empty resolves_to_refs, WHOIS found=false,
//	                                 empty history
//
// ASNs: 13335 CLOUDFLARENET, 64500 FLUXNET-BPH (bulletproof), 64501
// EXAMPLE-TELECOM (isp), 64502 PARKSERV-AS, 64503 ACME-CORP-AS.
//
// Zero Trust users (access users by email= or search=; risk score, reset,
// summary). email= matches the whole address case-insensitively, or
// exactly with Options.EmailCaseSensitive (Cloudflare does not say which);
// search= matches a substring of the email or name, case-insensitively:
//
//	alice.nguyen@acme-corp.example   no events, risk_level null, never reset
//	bob.martin@acme-corp.example     5 events naming the phishing/C2 domains and IPs;
//	                                 one detail has a U+202E file name, one an OSC 52
//	                                 user agent; risk high; last reset 62 days ago
//	carol.diaz@acme-corp.example     10,000 generated events (ManyEventsCount), risk high
//	dana.lee@acme-corp.example       matches two users ("Dana Lee" with 2 low events and
//	                                 "Dana.Lee@..." the contractor with none): pick list
//	erin.kowalski@acme-corp.example  2 events, one naming the IPv6 C2 address
//	zoe.akesson@acme-corp.example    "Zoë Åkesson": non-ASCII name, no events
//	+ 34 ordinary employees so an unfiltered listing pages
//
// Errors: missing or unknown token 401/10000 ("Invalid API Token" 1000 on
// the verify endpoints); token lacking the operation's permission or another
// account 403/9109; malformed account id or unknown user_id 404/7003; bad
// parameters 400/1003; unknown path 404/7000; wrong method 405/7001; rate
// limit 429/971 "Please wait and consider throttling your request speed"
// with Retry-After (Cloudflare's real body; below the contract's minimum
// code of 1000, so outside it); an account token on GET /accounts
// 400/1001.
//
// Assumptions: where the API documents nothing, the simulator picks a
// behaviour, and tests must not take these for Cloudflare's:
//
//	an account-owned token on GET /accounts   400/1001 (the real answer is undocumented)
//	bulk domains                               at most 10 per request, else 400/1003
//	bad parameters                             400/1003 (Cloudflare's code for them is undocumented)
//	an unknown user_id                         404/7003, Cloudflare's generic "could not route" error
//	ASN subnets                                every subnet on one page; ip_count_total counts
//	                                           IPv4 addresses only
//	identity side                              the dataset, permissions (devices:read stands in
//	                                           for the unnamed one), revoke's result false for an
//	                                           email without a user, the devices cursor and
//	                                           per_page 10: see identity_data.go and identity.go
//
// Passive DNS per_page has no maximum (the API documents none).
//
// Variants (Options.Variants, `cftriage sim --variants`): the shapes
// Cloudflare's reference docs and SDKs show where they differ from the
// contract, so a client is tested on both readings. Most are outside the
// contract (TestContractVariants names which):
//
//	IP overview      belongs_to_ref.value is a number (13335), not a string
//	ASN overview     an ASN hosting dataset domains answers the older Go SDK's
//	                 array [{asn, description, country, type, domain_count,
//	                 top_domains}] (most popular first, at most 10); any other
//	                 the docs' object {asn, description, country, type}; an
//	                 unknown ASN {asn}
//	passive DNS      first_seen/last_seen are date-times; result_info
//	                 {page, per_page, count, total_count, total_pages} beside count
//	WHOIS            created/updated/expiration_date are dates
//	category history start/end are date-times; the current span has no end
//	risk events      erin.kowalski's event_details are an array and a string,
//	                 dana.lee's second a number; the others stay objects
