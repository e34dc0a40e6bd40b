/* cwl-http.h
 * One signed CloudWatch Logs API call over HTTPS (libcurl, which signs
 * with AWS Signature Version 4 itself: CURLOPT_AWS_SIGV4).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CWL_HTTP_H
#define VPCSHARK_CWL_HTTP_H

#include <glib.h>

#include "aws-credentials.h"

typedef struct cwl_http cwl_http_t;

/* endpoint: "https://logs.eu-west-1.amazonaws.com" or a user's URL. */
cwl_http_t *cwl_http_new(const char *endpoint, const char *region);
void cwl_http_free(cwl_http_t *http);

/* The URL of the service in region (g_free it). */
char *cwl_default_endpoint(const char *region);

/*
 * POST body to the service as target (X-Amz-Target). Returns the HTTP
 * status with *response (g_byte_array_free it), or 0 with *error when no
 * answer came (network, time limit, a response larger than the limit,
 * or *stop became TRUE meanwhile).
 */
long cwl_http_call(cwl_http_t *http, const aws_credentials_t *creds, const char *target, const char *body,
                   volatile const int *stop, GByteArray **response, char **error);

/*
 * An unsigned GET or PUT for the credential chain (aws_http_request_fn;
 * data: a cwl_http_t): container and instance credentials. No proxy (the
 * addresses are link-local or loopback), at most
 * AWS_INSTANCE_ANSWER_MAX bytes of answer.
 */
long cwl_http_credentials_request(void *data, const char *method, const char *url, const char *const *headers,
                                  guint timeout_ms, char **body, gsize *body_len, char **error);

#endif
