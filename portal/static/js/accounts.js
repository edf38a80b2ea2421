// The drag-slider check and the 获取验证码 button. The server draws the puzzle and keeps
// the answer; this script only moves the piece, records the drag and posts it.
(function () {
  "use strict";

  function csrfToken(element) {
    var input = element.closest("form").querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, element, body, json) {
    var headers = { "X-CSRFToken": csrfToken(element) };
    if (json) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          data.httpStatus = response.status;
          return data;
        });
      });
  }

  function Slider(root) {
    this.root = root;
    this.purpose = root.dataset.purpose;
    this.stage = root.querySelector(".slider-stage");
    this.background = root.querySelector(".slider-background");
    this.piece = root.querySelector(".slider-piece");
    this.track = root.querySelector(".slider-track");
    this.fill = root.querySelector(".slider-fill");
    this.handle = root.querySelector(".slider-handle");
    this.status = root.querySelector(".slider-status");
    this.tokenInput = root.closest("form").querySelector("[name=captcha_token]");
    this.passed = false;
    this.bind();
    this.load();
  }

  Slider.prototype.load = function () {
    var self = this;
    var body = new FormData();
    body.append("purpose", this.purpose);
    this.passed = false;
    this.tokenInput.value = "";
    this.root.classList.remove("is-passed", "is-failed");
    this.moveTo(0);
    post(this.root.dataset.newUrl, this.root, body).then(function (data) {
      if (!data.id) { self.say(data.message || "验证图片加载失败，请点击“换一张”。"); return; }
      self.challenge = data;
      self.maxLeft = data.width - data.pieceWidth;
      self.handle.setAttribute("aria-valuemax", String(self.maxLeft));
      self.background.src = data.background;
      self.piece.src = data.piece;
      self.piece.style.top = data.pieceTop + "px";
      self.stage.hidden = false;
      self.trail = [];
    });
  };

  Slider.prototype.say = function (text) { this.status.textContent = text; };

  Slider.prototype.moveTo = function (left) {
    var max = this.maxLeft || 0;
    this.left = Math.max(0, Math.min(max, left));
    var trackRange = this.track.clientWidth - this.handle.offsetWidth;
    var ratio = max ? this.left / max : 0;
    this.piece.style.left = this.left + "px";
    this.handle.style.left = ratio * trackRange + "px";
    this.fill.style.width = ratio * trackRange + this.handle.offsetWidth / 2 + "px";
    this.handle.setAttribute("aria-valuenow", String(Math.round(this.left)));
    this.handle.setAttribute("aria-valuetext", "拼图块位置 " + Math.round(this.left) + " 像素");
  };

  Slider.prototype.record = function () {
    if (!this.trail.length) { this.started = performance.now(); }
    this.trail.push([Math.round(performance.now() - this.started), Math.round(this.left)]);
  };

  Slider.prototype.submit = function () {
    var self = this;
    if (!this.challenge || this.passed) { return; }
    var payload = JSON.stringify({ id: this.challenge.id, left: Math.round(this.left), trail: this.trail, purpose: this.purpose });
    post(this.root.dataset.verifyUrl, this.root, payload, true).then(function (data) {
      if (data.ok) {
        self.passed = true;
        self.tokenInput.value = data.token;
        self.root.classList.add("is-passed");
        self.say("验证通过");
        self.root.dispatchEvent(new CustomEvent("slider:passed", { bubbles: true }));
      } else {
        self.root.classList.add("is-failed");
        self.say((data.message || "验证未通过") + " 已更换新的图片。");
        window.setTimeout(function () { self.load(); }, 600);
      }
    });
  };

  Slider.prototype.bind = function () {
    var self = this;
    var dragging = false;
    var startX = 0;
    var startLeft = 0;

    function scale() {
      var trackRange = self.track.clientWidth - self.handle.offsetWidth;
      return trackRange ? (self.maxLeft || 0) / trackRange : 1;
    }
    this.handle.addEventListener("pointerdown", function (event) {
      if (self.passed || !self.challenge) { return; }
      dragging = true;
      startX = event.clientX;
      startLeft = self.left;
      self.trail = [];
      self.record();
      self.handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    this.handle.addEventListener("pointermove", function (event) {
      if (!dragging) { return; }
      self.moveTo(startLeft + (event.clientX - startX) * scale());
      self.record();
    });
    this.handle.addEventListener("pointerup", function () {
      if (!dragging) { return; }
      dragging = false;
      self.record();
      self.submit();
    });
    this.handle.addEventListener("keydown", function (event) {
      if (self.passed || !self.challenge) { return; }
      var step = event.shiftKey ? 10 : 2;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        if (!self.trail.length) { self.record(); }
        self.moveTo(self.left + (event.key === "ArrowRight" ? step : -step));
        self.record();
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        self.record();
        self.submit();
      }
    });
    this.root.querySelector(".slider-refresh").addEventListener("click", function () { self.load(); });
  };

  var sliders = [];
  document.querySelectorAll("[data-slider-captcha]").forEach(function (root) { sliders.push(new Slider(root)); });

  document.querySelectorAll("[data-sms-form]").forEach(function (form) {
    var button = form.querySelector("[data-sms-button]");
    var status = form.querySelector(".sms-status");
    var slider = sliders.filter(function (s) { return form.contains(s.root); })[0];
    var timer = null;

    function countdown(seconds) {
      var left = seconds;
      button.disabled = true;
      button.textContent = left + "秒后重新获取";
      timer = window.setInterval(function () {
        left -= 1;
        if (left <= 0) {
          window.clearInterval(timer);
          button.disabled = false;
          button.textContent = "获取验证码";
        } else {
          button.textContent = left + "秒后重新获取";
        }
      }, 1000);
    }

    button.addEventListener("click", function () {
      if (!slider.passed) {
        status.textContent = "请先拖动下方滑块完成验证，再获取验证码。";
        slider.handle.focus();
        return;
      }
      var body = new FormData();
      body.append("purpose", form.dataset.smsPurpose);
      body.append("phone", form.querySelector("[name=phone]").value);
      body.append("captcha_token", slider.tokenInput.value);
      var username = form.querySelector("[name=username]");
      if (username) { body.append("username", username.value); }
      post(form.dataset.smsUrl, form, body).then(function (data) {
        status.textContent = data.message || "验证码发送失败，请稍后再试。";
        if (data.ok) { countdown(data.wait || 60); } else if (data.wait) { countdown(data.wait); }
        slider.load();
      });
    });
  });
})();
