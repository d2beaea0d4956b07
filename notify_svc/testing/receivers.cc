#include "notify_svc/testing/receivers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "notify_svc/transports.h"
#include "platform/server/http_listener.h"

namespace oms::notify::testing {
namespace {

bool SendAll(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    ssize_t n = send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one CRLF-terminated line (without the CRLF) into `line`, buffering the rest.
bool ReadLine(int fd, std::string& buffer, std::string& line) {
  while (true) {
    size_t end = buffer.find("\r\n");
    if (end != std::string::npos) {
      line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      return true;
    }
    char chunk[4096];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

std::string DecodeSubject(const std::string& value) {
  if (absl::StartsWith(value, "=?UTF-8?B?") && absl::EndsWith(value, "?=")) {
    std::string decoded;
    absl::Base64Unescape(value.substr(10, value.size() - 12), &decoded);
    return decoded;
  }
  return value;
}

ReceivedMail Parse(ReceivedMail mail) {
  size_t split = mail.data.find("\r\n\r\n");
  std::string head = mail.data.substr(0, split);
  mail.body = absl::StrReplaceAll(split == std::string::npos ? "" : mail.data.substr(split + 4),
                                  {{"\r\n", "\n"}});
  for (absl::string_view header : absl::StrSplit(head, "\r\n")) {
    if (absl::StartsWith(header, "Subject: "))
      mail.subject = DecodeSubject(std::string(header.substr(9)));
    if (absl::StartsWith(header, "Message-ID: ")) mail.message_id = std::string(header.substr(12));
  }
  return mail;
}

}  // namespace

SmtpSink::SmtpSink(int port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int reuse = 1;  // the port of a sink just stopped may still have connections in TIME_WAIT
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(listen_fd_, 16);
  socklen_t length = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

SmtpSink::~SmtpSink() {
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  thread_.join();  // accepts no more, so talkers_ is final
  DropConnections();
  std::vector<std::thread> talkers;
  {
    absl::MutexLock lock(&mu_);
    talkers.swap(talkers_);
  }
  for (std::thread& talker : talkers) talker.join();
}

void SmtpSink::Serve() {
  while (true) {
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;  // closed
    absl::MutexLock lock(&mu_);
    open_fds_.insert(fd);
    talkers_.emplace_back([this, fd, connection = ++connections_] {
      Talk(fd, connection);
      absl::MutexLock lock(&mu_);
      open_fds_.erase(fd);
      close(fd);
    });
  }
}

int SmtpSink::connections() {
  absl::MutexLock lock(&mu_);
  return connections_;
}

void SmtpSink::CloseOnNextMail() {
  absl::MutexLock lock(&mu_);
  close_on_next_mail_ = true;
}

bool SmtpSink::TakeCloseOnNextMail() {
  absl::MutexLock lock(&mu_);
  return std::exchange(close_on_next_mail_, false);
}

void SmtpSink::DropConnections() {
  absl::MutexLock lock(&mu_);
  for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);  // each talker then closes its own
}

void SmtpSink::Talk(int fd, int connection) {
  std::string buffer, line;
  ReceivedMail mail;
  if (!SendAll(fd, "220 oms-test ESMTP\r\n")) return;
  while (ReadLine(fd, buffer, line)) {
    std::string verb = absl::AsciiStrToUpper(line.substr(0, 4));
    if (verb == "EHLO") {
      SendAll(fd, "250-oms-test\r\n250 8BITMIME\r\n");
    } else if (verb == "MAIL") {
      if (TakeCloseOnNextMail()) {
        SendAll(fd, "421 closing\r\n");
        return;
      }
      mail = ReceivedMail();
      mail.connection = connection;
      mail.mail_from = line.substr(10);
      SendAll(fd, "250 OK\r\n");
    } else if (verb == "RCPT") {
      mail.rcpt_to = line.substr(8);
      SendAll(fd, "250 OK\r\n");
    } else if (verb == "DATA") {
      SendAll(fd, "354 go ahead\r\n");
      std::string data;
      while (ReadLine(fd, buffer, line) && line != ".") {
        // Undo dot-stuffing.
        absl::StrAppend(&data, absl::StartsWith(line, "..") ? line.substr(1) : line, "\r\n");
      }
      mail.data = data;
      {
        absl::MutexLock lock(&mu_);
        mails_.push_back(Parse(mail));
      }
      SendAll(fd, "250 OK queued\r\n");
    } else if (verb == "QUIT") {
      SendAll(fd, "221 bye\r\n");
      return;
    } else {
      SendAll(fd, "250 OK\r\n");  // HELO, RSET, NOOP
    }
  }
}

std::vector<ReceivedMail> SmtpSink::mails() {
  absl::MutexLock lock(&mu_);
  return mails_;
}

bool SmtpSink::WaitForMails(size_t count, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return mails_.size() >= count; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

HttpReceiver::HttpReceiver() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    ReceivedRequest received;
    received.path = request.path;
    received.body = request.body;
    received.remote_port = request.remote_port;
    for (const auto& [name, value] : request.headers) received.headers[name] = value;
    absl::MutexLock lock(&mu_);
    requests_.push_back(received);
    if (hold_next_) {
      hold_next_ = false;
      mu_.Await(absl::Condition(&released_));
    }
    if (fail_remaining_ > 0) {
      --fail_remaining_;
      response.status = 500;
      response.set_content("{\"error\":\"try again\"}", "application/json");
      return;
    }
    response.status = 200;
    response.set_content("{\"ok\":true}", "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = StartListening(*server_);  // a test may end at once: see StartListening
}

HttpReceiver::~HttpReceiver() {
  Release();
  // The senders' idle connections first: stop() waits for each open one's keep-alive (5 s).
  CloseIdleConnections();
  server_->stop();
  thread_.join();
}

std::string HttpReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedRequest> HttpReceiver::requests() {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void HttpReceiver::FailNext(int count) {
  absl::MutexLock lock(&mu_);
  fail_remaining_ = count;
}

void HttpReceiver::HoldNext() {
  absl::MutexLock lock(&mu_);
  hold_next_ = true;
  released_ = false;
}

void HttpReceiver::Release() {
  absl::MutexLock lock(&mu_);
  released_ = true;
}

bool HttpReceiver::WaitForRequests(size_t count, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return requests_.size() >= count; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace oms::notify::testing
