// Mapbox Vector Tiles for Leaflet, in one small module: a decoder of the
// MVT protobuf (spec 2.1: layers, features, keys, values, geometry
// commands) and a canvas GridLayer drawing the server's tiles
// (/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}). Grouped cells
// (a "count" property above 1) are drawn as a disc sized by their count,
// with the count written in it. No plugin fits: Leaflet.VectorGrid, the
// one for Leaflet, has had no release since 2017.
//
// Each drawn tile keeps its features (tile.mvtFeatures, in tile pixels)
// for clicks, and says on its element what it drew: data-features (the
// points and shapes), data-count (the features they stand for) and,
// once drawn, data-loaded.

/* global L */

// decode reads a tile: {layerName: [{id, type, props, geom}]}, geom a
// list of rings/lines/points in tile units (0..extent), with extent.
export function decode(buf) {
  const r = new Reader(new Uint8Array(buf));
  const layers = {};
  while (r.more()) {
    const [field, wt] = r.tag();
    if (field === 3 && wt === 2) {
      const l = readLayer(r.sub());
      layers[l.name] = l;
    } else r.skip(wt);
  }
  return layers;
}

class Reader {
  constructor(b, pos = 0, end = b.length) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }
  more() {
    return this.pos < this.end;
  }
  varint() {
    let x = 0;
    let shift = 1;
    for (;;) {
      const byte = this.b[this.pos++];
      x += (byte & 0x7f) * shift;
      if (byte < 0x80) return x;
      shift *= 128;
    }
  }
  tag() {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }
  sub() {
    const n = this.varint();
    const s = new Reader(this.b, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  string() {
    const s = this.sub();
    return new TextDecoder().decode(this.b.subarray(s.pos, s.end));
  }
  packed() {
    const s = this.sub();
    const out = [];
    while (s.more()) out.push(s.varint());
    return out;
  }
  skip(wt) {
    if (wt === 0) this.varint();
    else if (wt === 1) this.pos += 8;
    else if (wt === 2) this.pos += this.varint();
    else if (wt === 5) this.pos += 4;
    else throw new Error(`mvt: wire type ${wt}`);
  }
}

const zigzag = (n) => (n % 2 ? -(n + 1) / 2 : n / 2);

function readValue(r) {
  let v = null;
  const dv = new DataView(r.b.buffer, r.b.byteOffset);
  while (r.more()) {
    const [field, wt] = r.tag();
    if (field === 1) v = r.string();
    else if (field === 2) {
      v = dv.getFloat32(r.pos, true);
      r.pos += 4;
    } else if (field === 3) {
      v = dv.getFloat64(r.pos, true);
      r.pos += 8;
    } else if (field === 4 || field === 5) v = r.varint();
    else if (field === 6) v = zigzag(r.varint());
    else if (field === 7) v = r.varint() !== 0;
    else r.skip(wt);
  }
  return v;
}

function readLayer(r) {
  const l = { name: "", extent: 4096, keys: [], values: [], raw: [], features: [] };
  while (r.more()) {
    const [field, wt] = r.tag();
    if (field === 1) l.name = r.string();
    else if (field === 2) l.raw.push(r.sub());
    else if (field === 3) l.keys.push(r.string());
    else if (field === 4) l.values.push(readValue(r.sub()));
    else if (field === 5) l.extent = r.varint();
    else r.skip(wt);
  }
  for (const fr of l.raw) {
    const f = { id: null, type: 0, props: {}, geom: [] };
    let tags = [];
    let cmds = [];
    while (fr.more()) {
      const [field, wt] = fr.tag();
      if (field === 1) f.id = fr.varint();
      else if (field === 2) tags = fr.packed();
      else if (field === 3) f.type = fr.varint();
      else if (field === 4) cmds = fr.packed();
      else fr.skip(wt);
    }
    for (let i = 0; i + 1 < tags.length; i += 2) f.props[l.keys[tags[i]]] = l.values[tags[i + 1]];
    f.geom = geometry(cmds);
    l.features.push(f);
  }
  delete l.raw;
  return l;
}

function geometry(cmds) {
  const parts = [];
  let cur = null;
  let x = 0;
  let y = 0;
  for (let i = 0; i < cmds.length; ) {
    const id = cmds[i] & 7;
    const n = cmds[i] >> 3;
    i++;
    if (id === 7) {
      if (cur?.length) cur.push(cur[0]);
      continue;
    }
    for (let k = 0; k < n; k++) {
      x += zigzag(cmds[i++]);
      y += zigzag(cmds[i++]);
      if (id === 1) parts.push((cur = []));
      cur.push([x, y]);
    }
  }
  return parts;
}

// vectorTiles returns a GridLayer of a collection's tiles. opts: colour,
// radius, onClick(feature props, latlng).
export function vectorTiles(collection, opts) {
  const Layer = L.GridLayer.extend({
    createTile(coords, done) {
      const tile = L.DomUtil.create("canvas", "mvt-tile");
      const size = this.getTileSize();
      const ratio = window.devicePixelRatio || 1;
      tile.width = size.x * ratio;
      tile.height = size.y * ratio;
      tile.dataset.features = "0";
      tile.dataset.count = "0";
      tile.dataset.tile = `${coords.z}/${coords.y}/${coords.x}`;
      const url = `/collections/${encodeURIComponent(collection)}/tiles/WebMercatorQuad/${coords.z}/${coords.y}/${coords.x}`;
      fetch(url, { signal: this._abort.signal })
        .then((res) => {
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
          return res.arrayBuffer();
        })
        .then((buf) => {
          const layer = decode(buf)[collection];
          draw(tile, layer, size.x, ratio, opts);
          done(null, tile);
        })
        .catch((err) => {
          if (err.name !== "AbortError") opts.onError?.(err);
          done(null, tile); // an empty tile; the error is reported once
        });
      return tile;
    },
    onAdd(map) {
      this._abort = new AbortController();
      L.GridLayer.prototype.onAdd.call(this, map);
      map.on("click", this._click, this);
    },
    onRemove(map) {
      this._abort.abort();
      map.off("click", this._click, this);
      L.GridLayer.prototype.onRemove.call(this, map);
    },
    _click(ev) {
      const map = this._map;
      const z = this._tileZoom; // the zoom of the tiles drawn (the map's may be fractional)
      const size = this.getTileSize();
      const p = map.project(ev.latlng, z);
      const c = p.unscaleBy(size).floor();
      const t = this._tiles[`${c.x}:${c.y}:${z}`];
      const feats = t?.el.mvtFeatures || [];
      const local = p.subtract(c.scaleBy(size));
      let best = null;
      let bestD = 12 * 12;
      for (const f of feats) {
        for (const [x, y] of f.px) {
          const d = (x - local.x) ** 2 + (y - local.y) ** 2;
          if (d < bestD) [best, bestD] = [f, d];
        }
      }
      if (best) opts.onClick?.(best.props, ev.latlng, z);
    },
  });
  return new Layer({ maxNativeZoom: 18, keepBuffer: 1, updateWhenZooming: false, zIndex: 10 });
}

function draw(tile, layer, size, ratio, opts) {
  const ctx = tile.getContext("2d");
  ctx.scale(ratio, ratio);
  const feats = [];
  let count = 0;
  if (layer) {
    const k = size / layer.extent;
    for (const f of layer.features) {
      const n = typeof f.props.count === "number" ? f.props.count : 1;
      const parts = f.geom.map((part) => part.map(([x, y]) => [x * k, y * k]));
      count += n;
      if (f.type === 3 || f.type === 2) {
        ctx.beginPath();
        for (const part of parts) {
          part.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        }
        ctx.strokeStyle = opts.colour;
        ctx.lineWidth = 1.5;
        if (f.type === 3) {
          ctx.globalAlpha = 0.15;
          ctx.fillStyle = opts.colour;
          ctx.fill("evenodd");
          ctx.globalAlpha = 1;
        }
        ctx.stroke();
        feats.push({ props: f.props, px: parts.flat() });
        continue;
      }
      for (const [x, y] of parts.flat()) {
        const r = n > 1 ? Math.min(16, opts.radius + 2 * Math.log2(n)) : opts.radius;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = opts.colour;
        ctx.globalAlpha = 0.9;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 1;
        ctx.stroke();
        if (n > 1 && r >= 8) {
          ctx.fillStyle = "#fff";
          ctx.font = "bold 9px sans-serif";
          ctx.textAlign = "center";
          ctx.textBaseline = "middle";
          ctx.fillText(n > 999 ? `${Math.round(n / 100) / 10}k` : String(n), x, y);
        }
      }
      feats.push({ props: f.props, px: parts.flat() });
    }
  }
  tile.mvtFeatures = feats;
  tile.dataset.features = String(feats.length);
  tile.dataset.count = String(count);
  tile.dataset.loaded = "true";
}
