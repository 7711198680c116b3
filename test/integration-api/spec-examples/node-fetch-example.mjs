/* global fetch */
// The JavaScript/Node.js example of chapter 6 (native fetch), with the constants from the environment.
const API_KEY = process.env.API_KEY
const API_SECRET = process.env.API_SECRET
const BASE_URL = process.env.BASE_URL

const authHeader = 'Basic ' + Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')

async function getHosts (hostgroup = null) {
  const url = new URL('/api/v1/api/hosts', BASE_URL)
  if (hostgroup) {
    url.searchParams.append('hostgroup', hostgroup)
  }
  const response = await fetch(url, { headers: { Authorization: authHeader, 'Content-Type': 'application/json' } })
  if (!response.ok) {
    const error = await response.json()
    throw new Error(`HTTP ${response.status}: ${error.error}`)
  }
  return await response.json()
}

const data = await getHosts()
console.log(`Total: ${data.total}`)
data.hosts.forEach(host => console.log(`${host.friendly_name}: ${host.ip}`))
const web = await getHosts('Web Servers')
console.log(`Web Servers total: ${web.total}`)
