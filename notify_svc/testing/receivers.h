#ifndef OMS_NOTIFY_SVC_TESTING_RECEIVERS_H_
#define OMS_NOTIFY_SVC_TESTING_RECEIVERS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace oms::notify::testing {

// Real protocol peers for delivery tests, on 127.0.0.1 with a free port.

struct ReceivedMail {
  std::string mail_from, rcpt_to;
  std::string data;     // the raw message as received
  std::string subject;  // decoded from RFC 2047
  std::string body;     // after the header, line ends as \n
  std::string message_id;
  int connection = 0;  // which connection brought it (1, 2, ...): equal when one was reused
};

// A minimal SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
// that accepts every message and keeps it. Connections are served concurrently (a client
// that keeps one open for its next message must not hold up another's). Thread-safe.
class SmtpSink {
 public:
  // On `port`, or on a free one when 0 (a test that brings a mail server back passes the
  // port of one it stopped).
  explicit SmtpSink(int port = 0);
  ~SmtpSink();
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::vector<ReceivedMail> mails();
  // Waits (bounded) until at least `count` mails arrived; answers whether they did.
  bool WaitForMails(size_t count, absl::Duration timeout);
  // Connections accepted so far.
  int connections();
  // Closes every open connection from the server's side, as a server does to idle clients.
  void DropConnections();
  // Answers the next MAIL command "421" and closes that connection, as a server going down
  // does, after the client has already sent on it.
  void CloseOnNextMail();

 private:
  void Serve();
  void Talk(int fd, int connection);
  bool TakeCloseOnNextMail();

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<ReceivedMail> mails_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> talkers_ ABSL_GUARDED_BY(mu_);
  std::set<int> open_fds_ ABSL_GUARDED_BY(mu_);
  int connections_ ABSL_GUARDED_BY(mu_) = 0;
  bool close_on_next_mail_ ABSL_GUARDED_BY(mu_) = false;
};

struct ReceivedRequest {
  std::string path;
  std::string body;
  std::map<std::string, std::string> headers;
  int remote_port = 0;  // the client's end of the connection: equal when it was reused
};

// An HTTP server (cpp-httplib) that records every POST. It can answer 500 to the next N
// requests, or hold the next request open until Release(). Thread-safe.
class HttpReceiver {
 public:
  HttpReceiver();
  ~HttpReceiver();
  int port() const { return port_; }
  std::string url(const std::string& path) const;
  std::vector<ReceivedRequest> requests();
  void FailNext(int count);
  void HoldNext();
  void Release();
  bool WaitForRequests(size_t count, absl::Duration timeout);

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int fail_remaining_ ABSL_GUARDED_BY(mu_) = 0;
  bool hold_next_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace oms::notify::testing

#endif  // OMS_NOTIFY_SVC_TESTING_RECEIVERS_H_
