// antq — the offline map: the 34 provinces coloured by a figure, or a province's communes as
// points at their centroids with its cameras; the Hoàng Sa and Trường Sa archipelagos are
// always drawn and labelled as part of Đà Nẵng and Khánh Hòa. No tile server: the boundaries
// are served with the application. The table beside the map holds the same figures.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var L = window.L;
  var classes = ["c0", "c1", "c2", "c3", "c4"];
  var fills = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 14 });
  map.setView([16, 108], 5);

  function breaks(values) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    var max = v.length ? v[v.length - 1] : 0;
    return [0.2, 0.4, 0.6, 0.8].map(function (q) { return max * q; });
  }
  function cls(value, b) {
    var i = 0;
    while (i < b.length && value > b[i]) { i++; }
    return value === 0 ? 0 : Math.max(i, 1);
  }

  Promise.all([
    fetch(el.getAttribute("data-geo")).then(function (r) { return r.json(); }),
    fetch(el.getAttribute("data-src"), { credentials: "same-origin" }).then(function (r) { return r.json(); }),
  ]).then(function (res) {
    var geo = res[0], data = res[1];
    var byCode = {};
    data.places.forEach(function (p) { byCode[p.code] = p; });
    var provinceMode = !data.province;
    var b = breaks(data.places.map(function (p) { return p.value; }));
    var link = el.getAttribute("data-link");
    var provinces = L.geoJSON(geo, {
      filter: function (f) { return f.geometry.type !== "Point"; },
      style: function (f) {
        var code = f.properties.code;
        if (provinceMode) {
          var p = byCode[code];
          return { className: "province", color: "#555", weight: 0.8, fillOpacity: 0.85, fillColor: fills[cls(p ? p.value : 0, b)] };
        }
        var own = code === data.province;
        return { className: "province", color: own ? "#12344d" : "#999", weight: own ? 1.6 : 0.6, fillOpacity: own ? 0.15 : 0.05, fillColor: own ? "#74a9cf" : "#ccc" };
      },
      onEachFeature: function (f, layer) {
        var p = byCode[f.properties.code];
        layer.bindTooltip(f.properties.name + (provinceMode && p ? ": " + p.text : ""), { sticky: true });
        if (provinceMode) {
          layer.on("click", function () { window.location.href = link + encodeURIComponent(f.properties.code); });
        }
      },
    }).addTo(map);
    geo.features.filter(function (f) { return f.geometry.type === "Point"; }).forEach(function (f) {
      var c = f.geometry.coordinates;
      L.marker([c[1], c[0]], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "archipelago-label", html: f.properties.label + "<br>(" + f.properties.province + ")", iconSize: null }),
      }).addTo(map);
    });
    if (provinceMode) {
      map.fitBounds(provinces.getBounds(), { padding: [8, 8] });
    } else {
      var own = [];
      provinces.eachLayer(function (l) { if (l.feature.properties.code === data.province) { own.push(l); } });
      data.places.forEach(function (p) {
        if (p.lat == null) { return; }
        L.circleMarker([p.lat, p.lon], { className: "commune", radius: 4 + 2 * cls(p.value, b), color: "#045a8d", weight: 1, fillColor: fills[cls(p.value, b)], fillOpacity: 0.9 })
          .bindTooltip(p.name + ": " + p.text).addTo(map);
      });
      data.cameras.forEach(function (c) {
        L.circleMarker([c.latitude, c.longitude], { className: "camera", radius: 2, color: c.status === "hoat_dong" ? "#3c9d5d" : "#c8553d", weight: 1 })
          .bindTooltip(c.name).addTo(map);
      });
      if (own.length) {
        var mainland = own[0].getBounds();
        var pts = data.places.filter(function (p) { return p.lat != null; }).map(function (p) { return [p.lat, p.lon]; });
        map.fitBounds(pts.length ? L.latLngBounds(pts) : mainland, { padding: [12, 12] });
      }
    }
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var fmt = function (v) { return Math.round(data.amount === "percent_milli" ? v / 1000 : v).toLocaleString("vi-VN") + (data.amount === "percent_milli" ? "%" : ""); };
      var rows = [classes[0] + "|0"];
      for (var i = 1; i < 5; i++) { rows.push(classes[i] + "|" + (i === 1 ? "> 0" : "> " + fmt(b[i - 2])) + (i < 4 ? " – " + fmt(b[i - 1]) : "")); }
      div.innerHTML = "<strong></strong><br>" + rows.map(function (r) { var p = r.split("|"); return '<i class="' + p[0] + '"></i>' + p[1]; }).join("<br>");
      div.querySelector("strong").textContent = data.label;
      return div;
    };
    legend.addTo(map);
    el.setAttribute("data-ready", "1");
  });
})();
