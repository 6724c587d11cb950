// The browser's time zone, for the server to show times in it (readers without a tenant time-zone setting).
try {
    document.cookie = "dashboard.tz=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone) + "; path=/; max-age=31536000; samesite=strict";
} catch { /* no Intl time zone: times stay UTC */ }

// Small helpers the Blazor components call through JS interop.
window.dashboard = {
    copyText: async (text) => { await navigator.clipboard.writeText(text); return true; },
    download: (fileName, contentType, text) => {
        const url = URL.createObjectURL(new Blob([text], { type: contentType }));
        const a = document.createElement("a");
        a.href = url; a.download = fileName; document.body.appendChild(a); a.click(); a.remove();
        URL.revokeObjectURL(url);
    },
};
