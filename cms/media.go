package cms

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decode WebP to read its size
)

// MaxImageWidth is the widest image kept as it is; a wider PNG or JPEG is
// scaled down to it and re-encoded.
const MaxImageWidth = 1600

func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func encode64(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

// prepareMedia checks an uploaded file and returns where it goes and its
// bytes: only into assets/img/, only images and PDF (by their content,
// not only their name), below MaxMedia, with a safe file name (rename
// lets persistMedia choose one; an entry's asset must already have one,
// since its text links to it), and scaled down when wider than
// MaxImageWidth.
func (b *Backend) prepareMedia(a asset, rename bool) (string, []byte, error) {
	if a.Encoding != "base64" {
		return "", nil, refuse(http.StatusBadRequest, "%s: media arrive base64-encoded", a.Path)
	}
	if err := cleanPath(a.Path); err != nil {
		return "", nil, err
	}
	if path.Dir(a.Path) != MediaFolder {
		return "", nil, refuse(http.StatusForbidden, "%s: uploads go in %s", a.Path, MediaFolder)
	}
	name := safeName(path.Base(a.Path))
	if name != path.Base(a.Path) && !rename {
		return "", nil, refuse(http.StatusBadRequest, "%s: use a file name of lowercase letters, digits and dashes, such as %s", a.Path, name)
	}
	p := MediaFolder + "/" + name
	if err := allowed(p, writeFile); err != nil {
		return "", nil, err
	}
	if int64(base64.StdEncoding.DecodedLen(len(a.Content))) > b.MaxMedia+3 {
		return "", nil, refuse(http.StatusRequestEntityTooLarge, "%s is larger than %d MB; make it smaller first", a.Path, b.MaxMedia>>20)
	}
	data, err := base64.StdEncoding.DecodeString(a.Content)
	if err != nil {
		return "", nil, refuse(http.StatusBadRequest, "%s: not base64: %v", a.Path, err)
	}
	if int64(len(data)) > b.MaxMedia {
		return "", nil, refuse(http.StatusRequestEntityTooLarge, "%s is larger than %d MB; make it smaller first", a.Path, b.MaxMedia>>20)
	}
	want := mediaTypes[strings.ToLower(path.Ext(name))]
	got := http.DetectContentType(data)
	if got != want {
		return "", nil, refuse(http.StatusUnsupportedMediaType, "%s is %s, not the %s its name says", a.Path, got, want)
	}
	if want == "application/pdf" {
		return p, data, nil
	}
	data, err = scaleDown(data, want)
	if err != nil {
		return "", nil, refuse(http.StatusUnsupportedMediaType, "%s: %v", a.Path, err)
	}
	return p, data, nil
}

// scaleDown returns a PNG or JPEG no wider than MaxImageWidth, re-encoded
// when it was wider; GIF and WebP wider than that are refused (they cannot
// be re-encoded as they are).
func scaleDown(data []byte, mediaType string) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	// The header says how large the decoded picture is: a few bytes can
	// claim gigapixels, whose decoding would take the server's memory.
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, errTooManyPixels{cfg.Width, cfg.Height}
	}
	if cfg.Width <= MaxImageWidth {
		return data, nil
	}
	if mediaType != "image/png" && mediaType != "image/jpeg" {
		return nil, errTooWide(cfg.Width)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	h := max(1, src.Bounds().Dy()*MaxImageWidth/src.Bounds().Dx())
	dst := image.NewRGBA(image.Rect(0, 0, MaxImageWidth, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	if mediaType == "image/png" {
		err = png.Encode(&out, dst)
	} else {
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85})
	}
	return out.Bytes(), err
}

// MaxImagePixels is the largest picture an upload may hold (width ×
// height, read from its header before it is decoded): 50 megapixels, more
// than any camera of an editor's, far less than the memory of a server.
const MaxImagePixels = 50_000_000

type errTooManyPixels struct{ w, h int }

func (e errTooManyPixels) Error() string {
	return "this image says it is " + strconv.Itoa(e.w) + " × " + strconv.Itoa(e.h) + " pixels, more than the 50 megapixels an upload may have; save it smaller (at most 1600 pixels wide is enough for the site)"
}

type errTooWide int

func (w errTooWide) Error() string {
	return "this GIF or WebP image is " + strconv.Itoa(int(w)) + " pixels wide; save it at most 1600 pixels wide, or as PNG or JPEG (those are scaled down by themselves)"
}

// safeName lowercases a file name and keeps letters, digits, dots and
// dashes: "Audit Foto (1).JPG" → "audit-foto-1.jpg".
func safeName(name string) string {
	ext := strings.ToLower(path.Ext(name))
	base := strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
	var b strings.Builder
	dash := false
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "file"
	}
	return s + ext
}

var _ = gif.Decode // GIF is decoded for its size
