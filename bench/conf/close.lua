-- wrk script: one request per connection (a new TCP connection and TLS handshake each time)
wrk.headers["Connection"] = "close"
done = function(s, lat, req)
  local e = s.errors
  io.write(string.format("RESULT %d %d %.0f %.0f %.0f %.0f %.0f %d %d %d %d %d %d\n",
    s.requests, s.duration, lat:percentile(50), lat:percentile(90), lat:percentile(99),
    lat:percentile(99.9), lat.max, e.connect, e.read, e.write, e.status, e.timeout, s.bytes))
end
