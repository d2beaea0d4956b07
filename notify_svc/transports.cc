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

// Idle HTTP handles, shared by every thread. A handle keeps its open connections when reset,
// so the courier's lanes (threads that come and go with each delivery round) post message
// after message to an endpoint over a connection made once, not a TCP (and TLS) handshake
// per message. Last in, first out: the handle just used, with its connection, goes out next.
class HttpHandles {
 public:
  // A handle reset for a new transfer, or nullptr with the reason in `outcome`.
  CURL* Acquire(Outcome& outcome) {
    {
      absl::MutexLock lock(&mu_);
      if (!idle_.empty()) {
        CURL* curl = idle_.back();
        idle_.pop_back();
        curl_easy_reset(curl);
        return curl;
      }
    }
    return NewCurl(outcome);
  }
  void Release(CURL* curl) {
    absl::MutexLock lock(&mu_);
    if (idle_.size() >= kMaxIdle) {
      curl_easy_cleanup(curl);
    } else {
      idle_.push_back(curl);
    }
  }

 private:
  static constexpr size_t kMaxIdle = 64;  // 4 channels x 8 lanes, twice over
  absl::Mutex mu_;
  std::vector<CURL*> idle_ ABSL_GUARDED_BY(mu_);
};

HttpHandles& IdleHttpHandles() {
  static auto* handles = new HttpHandles();  // never destroyed: threads may post at exit
  return *handles;
}

}  // namespace

Outcome SendEmail(const SmtpOptions& smtp, const std::string& to, const std::string& subject,
                  const std::string& body, const std::string& message_id) {
  Outcome outcome;
  CURL* curl = NewCurl(outcome);
  if (curl == nullptr) return outcome;
  Upload upload;
  upload.data = absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::Now(), absl::UTCTimeZone()),
      "\r\nFrom: ", smtp.from, "\r\nTo: ", to, "\r\nSubject: ", EncodeHeader(subject),
      "\r\nMessage-ID: <", message_id, "@oms>\r\nMIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
      WithCrlf(body), "\r\n");
  curl_slist* recipients = curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, absl::StrCat("<", smtp.from, ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(smtp.timeout)));
  if (smtp.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!smtp.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, smtp.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  outcome.provider_response = absl::StrCat("smtp ", code);
  if (rc == CURLE_OK) {
    outcome.delivered = true;
  } else {
    outcome.error = absl::StrCat("smtp: ", curl_easy_strerror(rc));
  }
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  return outcome;
}

Outcome HttpPost(const std::string& url, const std::string& body,
                 const std::vector<std::string>& headers, absl::Duration timeout) {
  Outcome outcome;
  CURL* curl = IdleHttpHandles().Acquire(outcome);
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
  } else if (status < 200 || status >= 300) {
    outcome.error = absl::StrCat("http status ", status);
  } else {
    outcome.delivered = true;
  }
  curl_slist_free_all(list);
  IdleHttpHandles().Release(curl);
  return outcome;
}

}  // namespace oms::notify
