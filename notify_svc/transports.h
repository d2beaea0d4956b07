#ifndef OMS_NOTIFY_SVC_TRANSPORTS_H_
#define OMS_NOTIFY_SVC_TRANSPORTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace oms::notify {

// The wire protocols, over libcurl. Each call is one attempt (a kept connection that the server
// closed meanwhile is replaced within it); retries are the courier's job.
// Thread-safe. Curl handles are kept between calls for their connections: a lane sends
// message after message to an endpoint or a mail server over one connection.

struct Outcome {
  bool delivered = false;
  std::string provider_response;  // status code and a short excerpt of the answer
  std::string error;              // why it failed, when it did
  // No connection to the server was made (refused, no such host, none before the timeout):
  // nothing was handed over, and the next message to that server would fare the same.
  bool unreachable = false;
  // Not attempted: the server was already known to be unreachable (ProviderBreaker).
  bool deferred = false;
};

struct SmtpOptions {
  std::string url = "smtp://127.0.0.1:25";  // smtp:// or smtps://
  std::string from = "oms@localhost";
  std::string user;  // login when set
  std::string password;
  bool starttls = false;  // require STARTTLS
  absl::Duration timeout = absl::Seconds(15);
};

// One plain-text UTF-8 email. `message_id` becomes the Message-ID header, so a receiving
// system can recognise a copy.
Outcome SendEmail(const SmtpOptions& smtp, const std::string& to, const std::string& subject,
                  const std::string& body, const std::string& message_id);

// An HTTP POST of `body` with `headers` ("Name: value"); 2xx is delivered.
Outcome HttpPost(const std::string& url, const std::string& body,
                 const std::vector<std::string>& headers, absl::Duration timeout);

// Must run once before any other thread uses libcurl (the binary's main does it).
void InitTransports();

// Closes the connections that idle transfers keep open for reuse (tests: a receiver that
// stops would otherwise wait out its keep-alive for them). Transfers in flight keep theirs.
void CloseIdleConnections();

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_TRANSPORTS_H_
