#include "notify_svc/transports.h"

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace oms::notify {
namespace {

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data.size() - upload->offset);
  memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

size_t WriteAnswer(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  if (answer->size() < 2000) answer->append(data, std::min<size_t>(size * count, 2000));
  return size * count;
}

// RFC 2047 encoded-word, so any UTF-8 subject survives 7-bit headers.
std::string EncodeHeader(const std::string& text) {
  return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text), "?=");
}

std::string WithCrlf(const std::string& text) {
  std::string lf = absl::StrReplaceAll(text, {{"\r\n", "\n"}});
  return absl::StrReplaceAll(lf, {{"\n", "\r\n"}});
}

// Whether a failed transfer never reached the server, from libcurl's answer and whether any
// connection was made (a timeout after connecting is the server's answer being slow).
bool NeverConnected(CURL* curl, CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return true;
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected_us = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_us);
      return connected_us == 0;
    }
    default:
      return false;
  }
}

}  // namespace

void InitTransports() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

// A curl handle for one transfer, or nullptr with the reason in `outcome`.
CURL* NewCurl(Outcome& outcome) {
  InitTransports();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) outcome.error = "curl_easy_init failed";
  return curl;
}

// Idle curl handles of one protocol, shared by every thread. A handle keeps its open
// connections when reset, so the courier's lanes send message after message to an endpoint
// or mail server over a connection made once, not a TCP (and TLS, and SMTP greeting and
// login) handshake per message. Last in, first out: the handle just used, with its
// connection, goes out next.
class CurlHandles {
 public:
  struct Handle {
    CURL* curl = nullptr;
    bool warm = false;  // its last transfer succeeded, so it likely holds an open connection
  };
  // A handle reset for a new transfer, or one with a nullptr and the reason in `outcome`.
  Handle Acquire(Outcome& outcome) {
    {
      absl::MutexLock lock(&mu_);
      if (!idle_.empty()) {
        Handle handle = idle_.back();
        idle_.pop_back();
        curl_easy_reset(handle.curl);
        return handle;
      }
    }
    return Handle{NewCurl(outcome), false};
  }
  void CloseIdle() {
    absl::MutexLock lock(&mu_);
    for (const Handle& handle : idle_) curl_easy_cleanup(handle.curl);
    idle_.clear();
  }
  void Release(CURL* curl, bool succeeded) {
    absl::MutexLock lock(&mu_);
    if (idle_.size() >= kMaxIdle) {
      curl_easy_cleanup(curl);
    } else {
      idle_.push_back(Handle{curl, succeeded});
    }
  }

 private:
  static constexpr size_t kMaxIdle = 64;  // 4 channels x 8 lanes, twice over
  absl::Mutex mu_;
  std::vector<Handle> idle_ ABSL_GUARDED_BY(mu_);
};

// Never destroyed: threads may send at exit.
CurlHandles& IdleHttpHandles() {
  static auto* handles = new CurlHandles();
  return *handles;
}
CurlHandles& IdleSmtpHandles() {
  static auto* handles = new CurlHandles();
  return *handles;
}

}  // namespace

void CloseIdleConnections() {
  IdleHttpHandles().CloseIdle();
  IdleSmtpHandles().CloseIdle();
}

namespace {

// How long a mail server connection is kept. Servers close idle clients (RFC 5321 asks at
// least 5 minutes of them; providers often close sooner), and Postfix's own client stops
// reusing a connection after 300 s.
constexpr long kSmtpMaxIdleSeconds = 30;
constexpr long kSmtpMaxLifetimeSeconds = 300;

}  // namespace

Outcome SendEmail(const SmtpOptions& smtp, const std::string& to, const std::string& subject,
                  const std::string& body, const std::string& message_id) {
  Outcome outcome;
  CurlHandles::Handle handle = IdleSmtpHandles().Acquire(outcome);
  CURL* curl = handle.curl;
  if (curl == nullptr) return outcome;
  Upload upload;
  upload.data = absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::Now(), absl::UTCTimeZone()),
      "\r\nFrom: ", smtp.from, "\r\nTo: ", to, "\r\nSubject: ", EncodeHeader(subject),
      "\r\nMessage-ID: <", message_id, "@oms>\r\nMIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
      WithCrlf(body), "\r\n");
  curl_slist* recipients = curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str());
  const std::string from = absl::StrCat("<", smtp.from, ">");
  curl_easy_setopt(curl, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(smtp.timeout)));
  curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, kSmtpMaxIdleSeconds);
  curl_easy_setopt(curl, CURLOPT_MAXLIFETIME_CONN, kSmtpMaxLifetimeSeconds);
  if (smtp.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!smtp.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, smtp.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long code = 0, connects = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  if (rc != CURLE_OK && rc != CURLE_OPERATION_TIMEDOUT && handle.warm && connects == 0 &&
      (code == 0 || code == 421)) {
    // A kept connection the server had closed meanwhile (no answer at all, or 421
    // "closing"): nothing was accepted on it, so the message goes once more, over a new one.
    upload.offset = 0;
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  }
  outcome.provider_response = absl::StrCat("smtp ", code);
  if (rc == CURLE_OK) {
    outcome.delivered = true;
  } else {
    outcome.error = absl::StrCat("smtp: ", curl_easy_strerror(rc));
    outcome.unreachable = NeverConnected(curl, rc);
  }
  curl_slist_free_all(recipients);
  IdleSmtpHandles().Release(curl, rc == CURLE_OK);
  return outcome;
}

Outcome HttpPost(const std::string& url, const std::string& body,
                 const std::vector<std::string>& headers, absl::Duration timeout) {
  Outcome outcome;
  CURL* curl = IdleHttpHandles().Acquire(outcome).curl;
  if (curl == nullptr) return outcome;
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  std::string answer;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteAnswer);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  outcome.provider_response = absl::StrCat("http ", status, " ", answer.substr(0, 200));
  if (rc != CURLE_OK) {
    outcome.error = absl::StrCat("http: ", curl_easy_strerror(rc));
    outcome.unreachable = NeverConnected(curl, rc);
  } else if (status < 200 || status >= 300) {
    outcome.error = absl::StrCat("http status ", status);
  } else {
    outcome.delivered = true;
  }
  curl_slist_free_all(list);
  IdleHttpHandles().Release(curl, rc == CURLE_OK);
  return outcome;
}

}  // namespace oms::notify
