// fzlint serve: the upload form. Dropped files join the file input; sizes, count and types are
// checked here first (the server checks them again), and the button shows that work is under way.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) return;
  document.documentElement.classList.add("js");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var list = document.getElementById("chosen");
  var error = document.getElementById("client-error");
  var submit = document.getElementById("submit");
  var clear = document.getElementById("clear");
  var busy = document.getElementById("busy");
  var maxFile = +form.dataset.maxFile, maxTotal = +form.dataset.maxTotal, maxFiles = +form.dataset.maxFiles;
  var suffixes = form.dataset.suffixes.split(" ");

  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + " MB"; }
  function suffix(name) { var i = name.lastIndexOf("."); return i < 0 ? "" : name.slice(i).toLowerCase(); }

  function problems(files) {
    var out = [], total = 0, reports = 0;
    for (var i = 0; i < files.length; i++) {
      var f = files[i], s = suffix(f.name), zip = s === ".zip";
      total += f.size;
      if (!zip) reports++;
      if (!zip && suffixes.indexOf(s) < 0) {
        if (files.length === 1) out.push("“" + f.name + "”不是可以检查的报告文件(支持 " + suffixes.join(" ") + " 和 .zip)。");
      } else if (f.size > (zip ? maxTotal : maxFile)) {
        out.push("“" + f.name + "”有 " + mb(f.size) + ",超过 " + mb(zip ? maxTotal : maxFile) + " 的上限。");
      }
    }
    if (reports > maxFiles) out.push("一次最多上传 " + maxFiles + " 份报告,现在选了 " + reports + " 份。");
    if (total > maxTotal) out.push("一次上传共不能超过 " + mb(maxTotal) + ",现在共 " + mb(total) + "。");
    return out;
  }

  function show() {
    var files = input.files;
    list.textContent = "";
    for (var i = 0; i < files.length; i++) {
      var li = document.createElement("li"), name = document.createElement("span"), size = document.createElement("span");
      name.textContent = files[i].name;
      size.className = "size";
      size.textContent = mb(files[i].size);
      li.appendChild(name);
      li.appendChild(size);
      list.appendChild(li);
    }
    list.hidden = files.length === 0;
    clear.hidden = files.length === 0;
    var bad = problems(files);
    error.textContent = bad.join(" ");
    error.hidden = bad.length === 0;
    submit.disabled = bad.length > 0;
    if (files.length > 1 || (files.length === 1 && suffix(files[0].name) === ".zip")) {
      submit.textContent = "开始检查(生成审阅汇总)";
    } else {
      submit.textContent = "开始检查";
    }
  }

  function add(more) {
    var dt = new DataTransfer(), seen = {};
    var all = Array.prototype.slice.call(input.files).concat(Array.prototype.slice.call(more));
    all.forEach(function (f) {
      var key = f.name + "\u0000" + f.size + "\u0000" + f.lastModified;
      if (!seen[key]) { seen[key] = true; dt.items.add(f); }
    });
    input.files = dt.files;
    show();
  }

  // a file dropped anywhere else must not replace this page with the file itself
  ["dragover", "drop"].forEach(function (type) {
    window.addEventListener(type, function (ev) { ev.preventDefault(); });
  });
  drop.addEventListener("dragenter", function () { drop.classList.add("over"); });
  drop.addEventListener("dragover", function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (ev) {
    ev.preventDefault();
    drop.classList.remove("over");
    var items = ev.dataTransfer.items;
    for (var i = 0; items && i < items.length; i++) {
      var entry = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
      if (entry && entry.isDirectory) {
        error.textContent = "不能直接拖入文件夹:请把文件夹压缩成 .zip 后拖入,或打开文件夹选中其中的报告拖入。";
        error.hidden = false;
        return;
      }
    }
    add(ev.dataTransfer.files);
  });
  input.addEventListener("change", show);
  clear.addEventListener("click", function () { input.value = ""; show(); });
  form.addEventListener("submit", function (ev) {
    if (input.files.length === 0) {
      ev.preventDefault();
      error.textContent = "请先选择或拖入要检查的报告文件。";
      error.hidden = false;
      return;
    }
    if (problems(input.files).length) { ev.preventDefault(); return; }
    submit.disabled = true;
    busy.hidden = false;
  });
  // back from a result page: the browser may restore the page as it was left, busy
  window.addEventListener("pageshow", function () { submit.disabled = false; busy.hidden = true; show(); });
})();
