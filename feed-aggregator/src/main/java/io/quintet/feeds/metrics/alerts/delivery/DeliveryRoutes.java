package io.quintet.feeds.metrics.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quintet.feeds.metrics.alerts.AlertRulesFile.InvalidRulesException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where each rule's alerts are delivered, read from the alert rules file:
 * <pre>
 * destinations:
 *   - id: soc
 *     url: https://soc.example.com/hooks/quintet
 *     secret_env: QUINTET_ALERT_SECRET_SOC        # or secret_file: /run/secrets/alert-soc
 * rules:
 *   - id: brute-force-login
 *     deliver_to: [soc]
 *     ...
 * </pre>
 * The signing secret is never in the file: it is read from the named environment variable or file (trailing
 * whitespace stripped). Every problem is reported at once.
 */
public final class DeliveryRoutes {
    private static final Set<String> DESTINATION_FIELDS = Set.of("id", "url", "secret_env", "secret_file");

    private final Map<String, List<WebhookDestination>> byRule;

    private DeliveryRoutes(Map<String, List<WebhookDestination>> byRule) {
        this.byRule = Map.copyOf(byRule);
    }

    public static DeliveryRoutes none() {
        return new DeliveryRoutes(Map.of());
    }

    /** The destinations of a rule's alerts; empty when it has none. */
    public List<WebhookDestination> destinations(String ruleId) {
        return byRule.getOrDefault(ruleId, List.of());
    }

    public boolean isEmpty() {
        return byRule.values().stream().allMatch(List::isEmpty);
    }

    public int maxDestinationsPerRule() {
        return byRule.values().stream().mapToInt(List::size).max().orElse(0);
    }

    public static DeliveryRoutes load(Path rulesFile, UnaryOperator<String> env) {
        try {
            return parse(Files.readString(rulesFile), env, rulesFile.toString());
        } catch (IOException e) {
            throw new InvalidRulesException(rulesFile.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
    }

    /** @param env environment lookup ({@code System::getenv} in the service) */
    public static DeliveryRoutes parse(String yaml, UnaryOperator<String> env, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new InvalidRulesException(where, List.of("not valid YAML: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return none();
        }
        List<String> problems = new ArrayList<>();
        Map<String, WebhookDestination> destinations = new LinkedHashMap<>();
        JsonNode ds = root.path("destinations");
        if (!ds.isMissingNode() && !ds.isArray()) {
            problems.add("destinations must be a list");
        }
        for (int i = 0; ds.isArray() && i < ds.size(); i++) {
            JsonNode d = ds.get(i);
            String id = d.path("id").asText(null);
            String name = "destination " + (i + 1) + (id == null ? "" : " '" + id + "'");
            d.fieldNames().forEachRemaining(f -> {
                if (!DESTINATION_FIELDS.contains(f)) {
                    problems.add(name + ": unknown field '" + f + "' (known: id, secret_env, secret_file, url; "
                            + "the secret itself never goes in this file)");
                }
            });
            if (id == null || id.isBlank()) {
                problems.add(name + ": id is missing");
                continue;
            }
            URI url = url(d.path("url").asText(null), name, problems);
            byte[] secret = secret(d, env, name, problems);
            if (destinations.containsKey(id)) {
                problems.add(name + ": id is used by an earlier destination");
            } else if (url != null && secret != null) {
                destinations.put(id, new WebhookDestination(id, url, secret));
            }
        }
        Map<String, List<WebhookDestination>> byRule = new LinkedHashMap<>();
        JsonNode rules = root.path("rules");
        for (int i = 0; rules.isArray() && i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            JsonNode to = r.path("deliver_to");
            if (to.isMissingNode() || to.isNull()) {
                continue;
            }
            String ruleName = "rule " + (i + 1) + " '" + r.path("id").asText("") + "'";
            if (!to.isArray()) {
                problems.add(ruleName + ": deliver_to must be a list of destination ids");
                continue;
            }
            List<WebhookDestination> list = new ArrayList<>();
            for (JsonNode ref : to) {
                WebhookDestination d = destinations.get(ref.asText());
                if (d == null) {
                    problems.add(
                            ruleName + ": deliver_to names '" + ref.asText() + "', which is not among destinations");
                } else if (!list.contains(d)) {
                    list.add(d);
                }
            }
            byRule.put(r.path("id").asText(), List.copyOf(list));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRulesException(where, problems);
        }
        return new DeliveryRoutes(byRule);
    }

    private static URI url(String text, String name, List<String> problems) {
        if (text == null) {
            problems.add(name + ": url is missing");
            return null;
        }
        try {
            URI u = new URI(text);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problems.add(name + ": url must be an absolute http or https URL");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(name + ": url is not a URL: " + e.getReason());
            return null;
        }
    }

    private static byte[] secret(JsonNode d, UnaryOperator<String> env, String name, List<String> problems) {
        String var = d.path("secret_env").asText(null);
        String file = d.path("secret_file").asText(null);
        if ((var == null) == (file == null)) {
            problems.add(name + ": give exactly one of secret_env (an environment variable) or secret_file (a path)");
            return null;
        }
        String value;
        if (var != null) {
            value = env.apply(var);
            if (value == null || value.isBlank()) {
                problems.add(name + ": environment variable " + var + " (secret_env) is not set");
                return null;
            }
        } else {
            try {
                value = Files.readString(Path.of(file));
            } catch (IOException e) {
                problems.add(name + ": cannot read secret_file " + file + ": "
                        + e.getClass().getSimpleName());
                return null;
            }
        }
        String stripped = value.strip();
        if (stripped.length() < 16) {
            problems.add(name + ": the secret is shorter than 16 characters");
            return null;
        }
        return stripped.getBytes(StandardCharsets.UTF_8);
    }
}
