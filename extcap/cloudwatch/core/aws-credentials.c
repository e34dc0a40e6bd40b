/* aws-credentials.c
 * The AWS credential chain (aws-credentials.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "aws-credentials.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wsutil/wsjson.h>

/* Deeper JSON than this is no credential_process output (and wsjson's
 * lookups recurse). */
#define PROCESS_JSON_MAX_DEPTH 8

struct aws_ini {
    GHashTable *sections;       /* name -> (key -> value) */
};

static char *
trimmed(const char *start, const char *end)
{
    while (start < end && g_ascii_isspace(*start))
        start++;
    while (end > start && g_ascii_isspace(end[-1]))
        end--;
    return g_strndup(start, end - start);
}

aws_ini_t *
aws_ini_parse(const char *text, gsize len)
{
    aws_ini_t *ini = g_new0(aws_ini_t, 1);
    GHashTable *section = NULL;
    const char *end = text + len;

    ini->sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_destroy);
    for (const char *line = text; line < end;) {
        const char *eol = memchr(line, '\n', end - line);
        if (!eol)
            eol = end;
        const char *p = line;
        /* Indented lines continue a nested value ("s3 =\n  max_concurrent_requests = 5"): skipped. */
        gboolean indented = p < eol && (*p == ' ' || *p == '\t');
        while (p < eol && g_ascii_isspace(*p))
            p++;
        if (p == eol || *p == '#' || *p == ';' || indented) {
            line = eol + 1;
            continue;
        }
        if (*p == '[') {
            const char *close = memchr(p, ']', eol - p);
            section = NULL;
            if (close) {
                char *name = trimmed(p + 1, close);
                section = g_hash_table_lookup(ini->sections, name);
                if (!section) {
                    section = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
                    g_hash_table_insert(ini->sections, name, section);
                } else {
                    g_free(name);
                }
            }
        } else if (section) {
            const char *eq = memchr(p, '=', eol - p);
            if (eq) {
                char *key = trimmed(p, eq);
                /* Names are case-insensitive to the CLI. */
                char *lower = g_ascii_strdown(key, -1);
                g_free(key);
                g_hash_table_replace(section, lower, trimmed(eq + 1, eol));
            }
        }
        line = eol + 1;
    }
    return ini;
}

aws_ini_t *
aws_ini_load(const char *path)
{
    char *text;
    gsize len;

    if (!g_file_get_contents(path, &text, &len, NULL))
        return NULL;
    aws_ini_t *ini = aws_ini_parse(text, len);
    g_free(text);
    return ini;
}

void
aws_ini_free(aws_ini_t *ini)
{
    if (!ini)
        return;
    g_hash_table_destroy(ini->sections);
    g_free(ini);
}

const char *
aws_ini_get(const aws_ini_t *ini, const char *section, const char *name)
{
    GHashTable *s = ini ? g_hash_table_lookup(ini->sections, section) : NULL;
    const char *value = s ? g_hash_table_lookup(s, name) : NULL;

    return value && *value ? value : NULL;
}

gboolean
aws_ini_has_section(const aws_ini_t *ini, const char *section)
{
    return ini && g_hash_table_contains(ini->sections, section);
}

void
aws_credentials_clear(aws_credentials_t *c)
{
    /* Secrets are wiped, not only freed. */
    char *const secrets[] = { c->access_key_id, c->secret_access_key, c->session_token };
    for (gsize i = 0; i < G_N_ELEMENTS(secrets); i++) {
        if (secrets[i])
            memset(secrets[i], 0, strlen(secrets[i]));
        g_free(secrets[i]);
    }
    g_free(c->source);
    memset(c, 0, sizeof *c);
}

const char *
aws_profile_name(const char *profile)
{
    if (profile && *profile)
        return profile;
    const char *env = g_getenv("AWS_PROFILE");
    return env && *env ? env : "default";
}

/* A shared file: its variable, else ~/.aws/<name>. */
static char *
shared_file(const char *variable, const char *name)
{
    const char *env = g_getenv(variable);

    if (env && *env)
        return g_strdup(env);
    return g_build_filename(g_get_home_dir(), ".aws", name, NULL);
}

/* The config file's section of a profile: [default] or [profile name]. */
static char *
config_section(const char *profile)
{
    return strcmp(profile, "default") == 0 ? g_strdup("default") : g_strdup_printf("profile %s", profile);
}

char *
aws_profile_region(const char *profile)
{
    char *path = shared_file("AWS_CONFIG_FILE", "config");
    aws_ini_t *config = aws_ini_load(path);
    char *section = config_section(aws_profile_name(profile));
    char *region = g_strdup(aws_ini_get(config, section, "region"));

    g_free(section);
    aws_ini_free(config);
    g_free(path);
    return region;
}

static gboolean
keys_from(const aws_ini_t *ini, const char *section, const char *source, aws_credentials_t *out, char **error)
{
    const char *id = aws_ini_get(ini, section, "aws_access_key_id");
    const char *secret = aws_ini_get(ini, section, "aws_secret_access_key");

    if (!id && !secret)
        return FALSE;
    if (!id || !secret) {
        *error = g_strdup_printf("%s has %s but not %s", source, id ? "aws_access_key_id" : "aws_secret_access_key",
                                 id ? "aws_secret_access_key" : "aws_access_key_id");
        return FALSE;
    }
    out->access_key_id = g_strdup(id);
    out->secret_access_key = g_strdup(secret);
    out->session_token = g_strdup(aws_ini_get(ini, section, "aws_session_token"));
    out->source = g_strdup(source);
    return TRUE;
}

/* Nesting depth of JSON text, strings skipped. */
static guint
json_depth(const char *json, gsize len)
{
    guint depth = 0, most = 0;
    gboolean in_string = FALSE, escape = FALSE;

    for (gsize i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (escape)
                escape = FALSE;
            else if (c == '\\')
                escape = TRUE;
            else if (c == '"')
                in_string = FALSE;
        } else if (c == '"') {
            in_string = TRUE;
        } else if (c == '{' || c == '[') {
            most = MAX(most, ++depth);
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return most;
}

/* The shapes of credentials in JSON: credential_process's, and the container's and instance's. */
typedef enum { CREDENTIALS_OF_PROCESS, CREDENTIALS_OF_INSTANCE } credentials_json_t;

static gboolean
credentials_from_json(const char *json, gsize len, credentials_json_t shape, aws_credentials_t *out, char **error)
{
    gboolean ok = FALSE;
    double version = 0;
    const char *its = shape == CREDENTIALS_OF_PROCESS ? "its output" : "the answer";

    memset(out, 0, sizeof *out);
    if (memchr(json, '\0', len) || json_depth(json, len) > PROCESS_JSON_MAX_DEPTH) {
        *error = g_strdup_printf("%s is not JSON", its);
        return FALSE;
    }
    char *buf = g_strndup(json, len);
    int n = json_parse(buf, NULL, 0);
    jsmntok_t *tokens = n > 0 ? g_new(jsmntok_t, n) : NULL;
    if (n <= 0 || json_parse(buf, tokens, n) != n || tokens[0].type != JSMN_OBJECT) {
        *error = g_strdup_printf("%s is not a JSON object", its);
        goto done;
    }
    /* json_get_double() reads errno without clearing it. */
    errno = 0;
    if (shape == CREDENTIALS_OF_PROCESS && (!json_get_double(buf, tokens, "Version", &version) || version != 1)) {
        *error = g_strdup("its output has no \"Version\": 1");
        goto done;
    }
    const char *code = shape == CREDENTIALS_OF_INSTANCE ? json_get_string(buf, tokens, "Code") : NULL;
    if (code && strcmp(code, "Success") != 0) {
        *error = g_strdup_printf("the answer's Code is \"%.40s\", not \"Success\"", code);
        goto done;
    }
    const char *id = json_get_string(buf, tokens, "AccessKeyId");
    const char *secret = json_get_string(buf, tokens, "SecretAccessKey");
    if (!id || !*id || !secret || !*secret) {
        *error = g_strdup_printf("%s lacks AccessKeyId or SecretAccessKey", its);
        goto done;
    }
    out->access_key_id = g_strdup(id);
    out->secret_access_key = g_strdup(secret);
    const char *token = json_get_string(buf, tokens, shape == CREDENTIALS_OF_PROCESS ? "SessionToken" : "Token");
    out->session_token = token && *token ? g_strdup(token) : NULL;
    const char *expiration = json_get_string(buf, tokens, "Expiration");
    if (expiration && *expiration) {
        GTimeZone *utc = g_time_zone_new_utc();
        GDateTime *t = g_date_time_new_from_iso8601(expiration, utc);
        g_time_zone_unref(utc);
        if (!t) {
            *error = g_strdup_printf("%s's Expiration \"%.40s\" is not an ISO 8601 time", its, expiration);
            aws_credentials_clear(out);
            goto done;
        }
        out->expires_ms = g_date_time_to_unix(t) * 1000 + g_date_time_get_microsecond(t) / 1000;
        g_date_time_unref(t);
    }
    ok = TRUE;
done:
    if (buf)
        memset(buf, 0, len);
    g_free(buf);
    g_free(tokens);
    return ok;
}

gboolean
aws_credentials_from_process_json(const char *json, gsize len, aws_credentials_t *out, char **error)
{
    return credentials_from_json(json, len, CREDENTIALS_OF_PROCESS, out, error);
}

gboolean
aws_credentials_from_instance_json(const char *json, gsize len, aws_credentials_t *out, char **error)
{
    return credentials_from_json(json, len, CREDENTIALS_OF_INSTANCE, out, error);
}

/* Read what fd gives into out until it closes or the deadline passes. */
static gboolean
read_until(int fd, GString *out, gint64 deadline_us)
{
    char chunk[4096];

    for (;;) {
        gint64 left = (deadline_us - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return FALSE;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, (int)MIN(left, 1000));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return TRUE;
        if (out->len < AWS_CREDENTIAL_PROCESS_OUTPUT_MAX)
            g_string_append_len(out, chunk, MIN((gsize)n, AWS_CREDENTIAL_PROCESS_OUTPUT_MAX - out->len));
    }
}

static gboolean
run_process(const char *command, const char *source, guint timeout_ms, aws_credentials_t *out, char **error)
{
    char **argv = NULL;
    GError *gerr = NULL;
    GPid pid;
    int out_fd;

    if (!g_shell_parse_argv(command, NULL, &argv, &gerr)) {
        *error = g_strdup_printf("%s: credential_process cannot be split into a command: %s", source,
                                 gerr->message);
        g_error_free(gerr);
        return FALSE;
    }
    /* Its stderr is ours: what it says reaches the user (Wireshark's extcap error). */
    if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &pid, NULL, &out_fd, NULL, &gerr)) {
        *error = g_strdup_printf("%s: credential_process \"%s\" cannot be run: %s", source, argv[0], gerr->message);
        g_error_free(gerr);
        g_strfreev(argv);
        return FALSE;
    }
    GString *output = g_string_new(NULL);
    gboolean finished = read_until(out_fd, output, g_get_monotonic_time() + (gint64)timeout_ms * 1000);
    close(out_fd);
    int status = 0;
    if (!finished)
        kill(pid, SIGKILL);
    /* Output closed is not exit: wait for it, within the limit too. */
    gint64 deadline = g_get_monotonic_time() + (finished ? 2000000 : 0);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (g_get_monotonic_time() >= deadline) {
            kill(pid, SIGKILL);
            finished = FALSE;
            waitpid(pid, &status, 0);
            break;
        }
        g_usleep(10000);
    }
    g_spawn_close_pid(pid);

    gboolean ok = FALSE;
    char *why = NULL;
    if (!finished)
        *error = g_strdup_printf("%s: credential_process \"%s\" did not finish within %u s; stopped it", source,
                                 argv[0], (timeout_ms + 999) / 1000);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        *error = g_strdup_printf("%s: credential_process \"%s\" failed (exit status %d)", source, argv[0],
                                 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    else if (!aws_credentials_from_process_json(output->str, output->len, out, &why)) {
        *error = g_strdup_printf("%s: credential_process \"%s\": %s", source, argv[0], why);
        g_free(why);
    } else {
        out->source = g_strdup_printf("%s (credential_process)", source);
        ok = TRUE;
    }
    memset(output->str, 0, output->len);
    g_string_free(output, TRUE);
    g_strfreev(argv);
    return ok;
}

/*
 * No keys and no profile: the container's credentials, then the instance's.
 * *error, already saying where the keys were looked for, gets what was
 * found of these too.
 */
static gboolean
machine_credentials(const aws_http_t *http, aws_credentials_t *out, char **error)
{
    gboolean configured, answered;
    char *why = NULL;

    if (aws_container_credentials(http, out, &configured, &why) || configured) {
        g_free(*error);
        *error = why;
        return why == NULL;
    }
    if (aws_instance_credentials(http, out, &answered, &why)) {
        g_free(*error);
        *error = NULL;
        return TRUE;
    }
    if (answered) {
        g_free(*error);
        *error = why;
    } else if (why) {
        char *both = g_strdup_printf("%s; and %s", *error, why);
        g_free(*error);
        g_free(why);
        *error = both;
    }
    return FALSE;
}

gboolean
aws_credentials_find(const char *profile, guint timeout_ms, const aws_http_t *http, aws_credentials_t *out,
                     char **error)
{
    memset(out, 0, sizeof *out);
    *error = NULL;
    if (timeout_ms == 0)
        timeout_ms = AWS_CREDENTIAL_PROCESS_TIMEOUT_MS;

    /* An explicit profile wins over keys in the environment, as with the CLI's --profile. */
    if (!profile || !*profile) {
        const char *id = g_getenv("AWS_ACCESS_KEY_ID");
        const char *secret = g_getenv("AWS_SECRET_ACCESS_KEY");
        if (id && *id && secret && *secret) {
            const char *token = g_getenv("AWS_SESSION_TOKEN");
            out->access_key_id = g_strdup(id);
            out->secret_access_key = g_strdup(secret);
            out->session_token = token && *token ? g_strdup(token) : NULL;
            out->source = g_strdup("the environment (AWS_ACCESS_KEY_ID)");
            return TRUE;
        }
    }

    const char *name = aws_profile_name(profile);
    char *credentials_path = shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    char *config_path = shared_file("AWS_CONFIG_FILE", "config");
    aws_ini_t *credentials = aws_ini_load(credentials_path);
    aws_ini_t *config = aws_ini_load(config_path);
    char *section = config_section(name);
    char *in_credentials = g_strdup_printf("profile \"%s\" in %s", name, credentials_path);
    char *in_config = g_strdup_printf("profile \"%s\" in %s", name, config_path);
    gboolean found = FALSE;

    if (keys_from(credentials, name, in_credentials, out, error) || *error) {
        found = !*error;
    } else {
        const char *process = aws_ini_get(credentials, name, "credential_process");
        const char *source = in_credentials;
        if (!process) {
            process = aws_ini_get(config, section, "credential_process");
            source = in_config;
        }
        if (process)
            found = run_process(process, source, timeout_ms, out, error);
        else if (keys_from(config, section, in_config, out, error))
            found = TRUE;
        else if (!*error) {
            gboolean known = aws_ini_has_section(credentials, name) || aws_ini_has_section(config, section);
            if (known && (aws_ini_get(config, section, "sso_session") || aws_ini_get(config, section, "sso_start_url") ||
                          aws_ini_get(config, section, "role_arn")))
                *error = g_strdup_printf("AWS profile \"%s\" uses SSO or a role, which this extcap does not "
                                         "sign in to itself; add to it: credential_process = aws configure "
                                         "export-credentials --profile %s --format process", name, name);
            else if (known)
                *error = g_strdup_printf("AWS profile \"%s\" has no credentials (no aws_access_key_id or "
                                         "credential_process in %s or %s)", name, credentials_path, config_path);
            else {
                *error = g_strdup_printf("no AWS credentials: AWS_ACCESS_KEY_ID is not set and there is no "
                                         "profile \"%s\" in %s or %s", name, credentials_path, config_path);
                /* The SDKs' last links, unless a profile was named. */
                if (http && (!profile || !*profile) && !g_getenv("AWS_PROFILE"))
                    found = machine_credentials(http, out, error);
            }
        }
    }
    g_free(in_credentials);
    g_free(in_config);
    g_free(section);
    aws_ini_free(credentials);
    aws_ini_free(config);
    g_free(credentials_path);
    g_free(config_path);
    return found;
}
