"""Signs in through the dashboard's form, as a browser without JavaScript does, and prints the
session cookie as `name=value`.  Usage: sign_in.py BASE_URL USER PASSWORD"""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base, user, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()


class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)
page = opener.open(base + "/login").read().decode()
action = re.search(r'action="(/api/login\d+)"', page).group(1)
form = urllib.parse.urlencode({"username": user, "password": password, "next": "/models"})
try:
    opener.open(base + action, form.encode())
except urllib.error.HTTPError as redirect:
    if redirect.code not in (302, 303):
        raise
print("; ".join(f"{c.name}={c.value}" for c in jar))
